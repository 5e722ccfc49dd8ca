using System.Globalization;
using System.Runtime.Versioning;
using Postino.Server.Tests.Delivery;

namespace Postino.Server.Tests.Pop3;

/// <summary>
/// Python's poplib over a real socket against a Maildir a local user tampered with: a symlink in cur/ to a file only
/// root may read, and a foreign name claiming <c>W=9223372036854775807</c>. Neither the file nor a negative total
/// reaches the client.
/// </summary>
[SupportedOSPlatform("linux")]
public sealed class HostileMaildirPoplibTests
{
    private const string Client = """
        import poplib, sys
        p = poplib.POP3('127.0.0.1', int(sys.argv[1]), timeout=30)
        p.user('alice'); p.pass_('secret')
        count, octets = p.stat()
        print('STAT', count, octets)
        for i in range(1, count + 1):
            try:
                print('RETR', i, b'|'.join(p.retr(i)[1]).decode())
            except poplib.error_proto as e:
                print('ERR', i, e)
        p.quit()
        """;

    [Fact]
    public async Task A_symlink_to_a_root_only_file_is_not_served_and_a_huge_w_size_is_not_believed()
    {
        await using var server = await MaildirServerHost.StartAsync();
        var cur = CreateMaildir(server, out var secret);
        await File.WriteAllTextAsync(Path.Combine(cur, "1700000000.M1P1.mx,S=18,W=21:2,"), "Subject: ok\n\nbody\n");
        File.CreateSymbolicLink(Path.Combine(cur, "1700000001.M2P2.evil,S=11,W=12:2,"), secret);
        await File.WriteAllTextAsync(Path.Combine(cur, "1700000002.M3P3.evil,W=9223372036854775807:2,"), "x\n");

        var output = await RunPoplibAsync(server);

        Assert.Contains("STAT 2 24\n", output, StringComparison.Ordinal);
        Assert.DoesNotContain("TOP SECRET", output, StringComparison.Ordinal);
        Assert.Contains("RETR 1 Subject: ok||body", output, StringComparison.Ordinal);
        Assert.Contains("RETR 2 x", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_message_swapped_for_a_symlink_after_indexing_is_refused_by_retr()
    {
        await using var server = await MaildirServerHost.StartAsync();
        var cur = CreateMaildir(server, out var secret);
        var message = Path.Combine(cur, "1700000000.M1P1.mx,S=18,W=21:2,");
        await File.WriteAllTextAsync(message, "Subject: ok\n\nbody\n");
        Assert.Contains("STAT 1 21\n", await RunPoplibAsync(server), StringComparison.Ordinal);

        // The index now knows the message (renamed :2,S by the commit); the file under its name becomes a link. The
        // listing skips links, so the message is gone from the snapshot; had it been listed, the open refuses links.
        var current = Assert.Single(Directory.GetFiles(cur));
        File.Delete(current);
        File.CreateSymbolicLink(current, secret);
        var output = await RunPoplibAsync(server);

        Assert.DoesNotContain("TOP SECRET", output, StringComparison.Ordinal);
        Assert.Contains("STAT 0 0\n", output, StringComparison.Ordinal);
    }

    private static string CreateMaildir(MaildirServerHost server, out string secret)
    {
        var maildir = Path.Combine(server.DataPath, "mail", "alice", "Maildir");
        foreach (var folder in new[] { "cur", "new", "tmp" })
        {
            Storage.Files.PrivateFiles.CreateFolder(Path.Combine(maildir, folder));
        }

        secret = Path.Combine(server.DataPath, "root-only");
        File.WriteAllText(secret, "TOP SECRET\n");
        File.SetUnixFileMode(secret, UnixFileMode.UserRead);
        return Path.Combine(maildir, "cur");
    }

    private static async Task<string> RunPoplibAsync(MaildirServerHost server)
    {
        var (exitCode, output) = await ExternalProgram.RunAsync(
            "python3", ["-c", Client, server.Pop3Port.ToString(CultureInfo.InvariantCulture)]);
        Assert.True(exitCode == 0, output);
        return output;
    }
}
