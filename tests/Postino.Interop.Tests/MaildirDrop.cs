using System.Text;

namespace Postino.Interop.Tests;

/// <summary>Drops messages straight into a user's Maildir new/, the way Postfix or procmail deliver them.</summary>
internal static class MaildirDrop
{
    private static int _counter;

    public static string Put(string dataDir, string user, string content)
    {
        var maildir = Path.Combine(dataDir, "mail", user, "Maildir");
        foreach (var sub in new[] { "tmp", "new", "cur" })
        {
            Directory.CreateDirectory(Path.Combine(maildir, sub));
        }

        // The qmail/Dovecot form with microseconds: servers order foreign mail by the arrival time in its name.
        var now = DateTimeOffset.UtcNow;
        var microseconds = now.Ticks / 10 % 1_000_000;
        var name = $"{now.ToUnixTimeSeconds()}.M{microseconds}P{Environment.ProcessId}Q{Interlocked.Increment(ref _counter)}.interop";
        var tmp = Path.Combine(maildir, "tmp", name);
        File.WriteAllBytes(tmp, Encoding.UTF8.GetBytes(content));
        File.Move(tmp, Path.Combine(maildir, "new", name));
        return name;
    }

    public static string CrlfForm(string content)
    {
        var crlf = content.Replace("\r\n", "\n", StringComparison.Ordinal).Replace("\n", "\r\n", StringComparison.Ordinal);
        return crlf.EndsWith("\r\n", StringComparison.Ordinal) ? crlf : crlf + "\r\n";
    }
}
