using System.Text;

namespace Postino.Server.Delivery;

/// <summary>
/// The mbox envelope line <c>From sender date</c> that some MTAs (Postfix pipe with the F flag, procmail) put
/// before a message handed to a delivery agent. It is not part of the message, so it is not stored.
/// </summary>
public static class MboxFromLine
{
    public static bool TryRead(ReadOnlySpan<byte> data, out int lineLength, out string? sender)
    {
        lineLength = 0;
        sender = null;
        if (!data.StartsWith("From "u8))
        {
            return false;
        }

        var end = data.IndexOf((byte)'\n');
        if (end < 0)
        {
            return false;
        }

        lineLength = end + 1;
        var line = Encoding.UTF8.GetString(data[5..end]).TrimEnd('\r');
        var space = line.IndexOf(' ', StringComparison.Ordinal);
        var address = space < 0 ? line : line[..space];
        sender = address == "MAILER-DAEMON" ? string.Empty : address;
        return true;
    }
}
