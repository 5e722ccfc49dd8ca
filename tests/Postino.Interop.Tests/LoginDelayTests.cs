namespace Postino.Interop.Tests;

/// <summary>LOGIN-DELAY (RFC 2449) set per user with <c>postino user set</c>, announced and enforced by the server.</summary>
public class LoginDelayTests
{
    [Fact]
    public async Task Capa_announces_the_users_delay_after_login_and_a_login_too_soon_is_refused()
    {
        await using var server = await PostinoProcess.StartAsync();
        var (exit, _, stderr) = await ExternalTool.RunAsync(
            "dotnet", [PostinoBinary.Path, "user", "set", "demo", "--login-delay", "60", "--data-dir", server.DataDir]);
        Assert.True(exit == 0, stderr);

        using (var first = await RawLineClient.ConnectAsync(server.Port("pop3")))
        {
            await first.ReadLineAsync();
            Assert.Contains("LOGIN-DELAY 0", await CapaAsync(first));
            await first.SendAsync("USER demo");
            Assert.StartsWith("+OK", await first.SendAsync("PASS " + server.DemoPassword), StringComparison.Ordinal);
            Assert.Contains("LOGIN-DELAY 60", await CapaAsync(first));
            Assert.StartsWith("+OK", await first.SendAsync("QUIT"), StringComparison.Ordinal);
        }

        using var second = await RawLineClient.ConnectAsync(server.Port("pop3"));
        await second.ReadLineAsync();
        await second.SendAsync("USER demo");
        Assert.StartsWith("-ERR [LOGIN-DELAY]", await second.SendAsync("PASS " + server.DemoPassword), StringComparison.Ordinal);
    }

    private static async Task<List<string>> CapaAsync(RawLineClient client)
    {
        Assert.StartsWith("+OK", await client.SendAsync("CAPA"), StringComparison.Ordinal);
        var lines = new List<string>();
        for (var line = await client.ReadLineAsync(); line != "."; line = await client.ReadLineAsync())
        {
            lines.Add(line);
        }

        return lines;
    }
}
