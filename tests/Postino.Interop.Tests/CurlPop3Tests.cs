using System.Globalization;

namespace Postino.Interop.Tests;

/// <summary>curl's pop3:// client (installed by scripts/install-test-tools.sh) against the real server.</summary>
public class CurlPop3Tests
{
    [Fact]
    public async Task Lists_and_retrieves_with_curl()
    {
        await using var server = await PostinoProcess.StartAsync();
        const string message = "Subject: curl\n\nhello from curl test\n";
        MaildirDrop.Put(server.DataDir, "demo", message);
        var port = server.Port("pop3").ToString(CultureInfo.InvariantCulture);
        var credentials = "demo:" + server.DemoPassword;

        var list = await ExternalProgram.RunAsync("curl", ["-sS", "--user", credentials, $"pop3://127.0.0.1:{port}/"]);
        Assert.True(list.ExitCode == 0, list.Stderr);
        var lines = list.Stdout.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        Assert.StartsWith("2 ", lines[1], StringComparison.Ordinal);

        var retr = await ExternalProgram.RunAsync("curl", ["-sS", "--user", credentials, $"pop3://127.0.0.1:{port}/2"]);
        Assert.True(retr.ExitCode == 0, retr.Stderr);
        Assert.Equal(MaildirDrop.CrlfForm(message), retr.Stdout);
    }

    [Fact]
    public async Task Messages_out_of_the_page_cache_are_retrieved_whole()
    {
        // serve runs sessions on the sockets' event threads: a message that must come from the disk is read on a
        // pool thread (RWF_NOWAIT said it would wait), and the reply must be the same.
        await using var server = await PostinoProcess.StartAsync();
        var small = "Subject: cold small\n\n" + string.Concat(Enumerable.Repeat("a cold line\n", 80));
        var large = "Subject: cold large\n\n" + string.Concat(Enumerable.Range(0, 60_000).Select(i => $"line {i} of a large cold message\n"));
        MaildirDrop.Put(server.DataDir, "demo", small);
        MaildirDrop.Put(server.DataDir, "demo", large);
        var url = $"pop3://127.0.0.1:{server.Port("pop3").ToString(CultureInfo.InvariantCulture)}/";
        var credentials = "demo:" + server.DemoPassword;
        var list = await ExternalProgram.RunAsync("curl", ["-sS", "--user", credentials, url]);
        Assert.True(list.ExitCode == 0, list.Stderr);

        Assert.True(PageCache.EvictAll(Path.Combine(server.DataDir, "mail", "demo", "Maildir")), "the Maildir stayed in the page cache");

        var retrSmall = await ExternalProgram.RunAsync("curl", ["-sS", "--user", credentials, url + "2"]);
        var retrLarge = await ExternalProgram.RunAsync("curl", ["-sS", "--user", credentials, url + "3"]);
        Assert.True(retrSmall.ExitCode == 0, retrSmall.Stderr);
        Assert.True(retrLarge.ExitCode == 0, retrLarge.Stderr);
        Assert.Equal(MaildirDrop.CrlfForm(small), retrSmall.Stdout);
        Assert.Equal(MaildirDrop.CrlfForm(large), retrLarge.Stdout);
    }
}
