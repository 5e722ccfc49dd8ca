using System.Globalization;
using System.Text;

namespace Postino.Storage.Maildir;

/// <summary>
/// Unique base names for new messages, in the usual <c>SECONDS.M{micro}P{pid}Q{count}R{random}.HOST</c> form: unique
/// across processes (pid, random) and within one (counter), and short enough that the part before the size fields is
/// itself the UIDL (see <see cref="MaildirUidl"/>).
/// </summary>
public static class MaildirUniqueName
{
    private static long s_counter;

    public static string Create(DateTimeOffset now, string hostName)
    {
        var seconds = now.ToUnixTimeSeconds();
        var micros = (now.UtcTicks / 10) % 1_000_000;
        // Fixed width, so that messages delivered within the same microsecond sort (by name) in delivery order.
        var count = Interlocked.Increment(ref s_counter) % 1_000_000;
        var random = RandomHex();
        var unique = string.Create(
            CultureInfo.InvariantCulture,
            $"{seconds}.M{micros}P{Environment.ProcessId}Q{count:D6}R{random}.");
        var host = SanitizeHost(hostName);
        var room = MaildirUidl.MaxLength - unique.Length;
        return unique + (host.Length > room ? host[..room] : host);
    }

    /// <summary>
    /// Four random octets in hex, from a version-4 GUID's first four (all random): Guid.NewGuid reads the kernel's
    /// CSPRNG directly, where RandomNumberGenerator first loads and initialises OpenSSL, which would cost a one-shot
    /// <c>postino deliver</c> (one process per message) more time and memory than its delivery.
    /// </summary>
    private static string RandomHex()
    {
        Span<byte> bytes = stackalloc byte[16];
        Guid.NewGuid().TryWriteBytes(bytes);
        return Convert.ToHexStringLower(bytes[..4]);
    }

    /// <summary>Keeps the characters that are safe in a file name and a UIDL; the Maildir separators (':', '/', ',') go.</summary>
    public static string SanitizeHost(string hostName)
    {
        var builder = new StringBuilder(hostName.Length);
        foreach (var c in hostName)
        {
            builder.Append(char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or '_' ? c : '_');
        }

        return builder.Length == 0 ? "localhost" : builder.ToString();
    }
}
