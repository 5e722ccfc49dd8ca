namespace Postino.Interop.Tests;

/// <summary>LOGIN-DELAY (RFC 2449) set per user with <c>postino user set</c>, announced and enforced by the server.</summary>
public class LoginDelayTests
{
    [Fact]
    public async Task Capa_announces_the_users_delay_after_login_and_a_login_too_soon_is_refused()
    {
        await using var server = await PostinoProcess.StartAsync();
        var (exit, _, stderr) = await ExternalProgram.RunAsync(
            "dotnet", [PostinoBinary.Path, "user", "set", "demo", "--login-delay", "60", "--data-dir", server.DataDir]);
        Assert.True(exit == 0, stderr);

        using (var first = await LineClient.ConnectAsync(server.Port("pop3")))
        {
            await first.ReadLineAsync();
            Assert.Contains("LOGIN-DELAY 0", await CapaAsync(first));
            await first.CommandAsync("USER demo");
            Assert.StartsWith("+OK", await first.CommandAsync("PASS " + server.DemoPassword), StringComparison.Ordinal);
            Assert.Contains("LOGIN-DELAY 60", await CapaAsync(first));
            Assert.StartsWith("+OK", await first.CommandAsync("QUIT"), StringComparison.Ordinal);
        }

        using var second = await LineClient.ConnectAsync(server.Port("pop3"));
        await second.ReadLineAsync();
        await second.CommandAsync("USER demo");
        Assert.StartsWith("-ERR [LOGIN-DELAY]", await second.CommandAsync("PASS " + server.DemoPassword), StringComparison.Ordinal);
    }

    private static async Task<List<string>> CapaAsync(LineClient client)
    {
        Assert.StartsWith("+OK", await client.CommandAsync("CAPA"), StringComparison.Ordinal);
        var lines = new List<string>();
        for (var line = await client.ReadLineAsync(); line != "."; line = await client.ReadLineAsync())
        {
            lines.Add(line);
        }

        return lines;
    }
}
