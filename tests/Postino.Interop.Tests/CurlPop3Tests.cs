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
}
