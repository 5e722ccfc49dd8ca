using System.Text;
using Postino.Storage.Maildir;

namespace Postino.Fuzz.Targets;

/// <summary>
/// Maildir file names as another delivery agent (or a local user) may have written them: the base name and info
/// split, the flags, the <c>,S=</c>/<c>,W=</c> sizes and the delivery time, and the UIDL derived from the base name.
/// </summary>
internal static class MaildirNameTarget
{
    public static void Run(byte[] input)
    {
        var fileName = Encoding.UTF8.GetString(input);
        var name = MaildirFileName.Parse(fileName);
        _ = name.Flags;
        _ = name.DeliveredAt;
        if (name.WireSize is < 0 || name.StoredSize is < 0)
        {
            throw new InvalidOperationException($"A negative size was read from the file name \"{fileName}\".");
        }

        var uidl = MaildirUidl.FromBaseName(name.BaseName);
        if (!MaildirUidl.IsValid(uidl))
        {
            throw new InvalidOperationException($"The UIDL \"{uidl}\" derived from \"{name.BaseName}\" is not a valid UIDL.");
        }

        MaildirUniqueName.SanitizeHost(fileName);
    }
}
