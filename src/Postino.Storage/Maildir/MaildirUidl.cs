using System.Security.Cryptography;
using System.Text;

namespace Postino.Storage.Maildir;

/// <summary>
/// Derives a message's UIDL from its Maildir base name, so that an index rebuilt from the files alone gives every message
/// the UIDL it had before. The UIDL is the name's unique part (everything before the first <c>,</c>: the part the
/// Maildir convention keeps unique and that no tool rewrites when it adds <c>,S=</c>, <c>,W=</c> or <c>,U=</c> fields);
/// when that part is not a valid UIDL (over 70 octets, or characters outside 0x21-0x7E) it is a hash of the whole base
/// name instead. Either way the same file always yields the same UIDL, and the index keeps the UIDL once assigned.
/// </summary>
internal static class MaildirUidl
{
    public const int MaxLength = 70;

    public static string FromBaseName(string baseName)
    {
        var comma = baseName.IndexOf(',', StringComparison.Ordinal);
        var unique = comma < 0 ? baseName : baseName[..comma];
        return IsValid(unique) ? unique : Hashed(baseName);
    }

    /// <summary>The fallback when the natural UIDL collides with another message's or is not valid.</summary>
    public static string Hashed(string baseName)
    {
        var digest = SHA256.HashData(Encoding.UTF8.GetBytes(baseName));
        return "h" + Convert.ToHexStringLower(digest.AsSpan(0, 20));
    }

    public static bool IsValid(string uidl)
    {
        if (uidl.Length is 0 or > MaxLength)
        {
            return false;
        }

        foreach (var c in uidl)
        {
            if (c is < '!' or > '~')
            {
                return false;
            }
        }

        return true;
    }
}
