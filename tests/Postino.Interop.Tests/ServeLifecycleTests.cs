namespace Postino.Interop.Tests;

/// <summary>The <c>postino serve</c> process itself: graceful stop and configuration errors.</summary>
public class ServeLifecycleTests
{
    [Fact]
    public async Task Sigterm_stops_gracefully_and_an_open_session_commits_nothing()
    {
        await using var server = await PostinoProcess.StartAsync();
        using (var session = await LineClient.ConnectAsync(server.Port("pop3")))
        {
            Assert.StartsWith("+OK", await session.ReadLineAsync(), StringComparison.Ordinal);
            Assert.StartsWith("+OK", await session.CommandAsync("USER demo"), StringComparison.Ordinal);
            Assert.StartsWith("+OK", await session.CommandAsync("PASS " + server.DemoPassword), StringComparison.Ordinal);
            Assert.StartsWith("+OK", await session.CommandAsync("DELE 1"), StringComparison.Ordinal);

            Assert.Equal(0, await server.StopAsync());
        }

        Assert.Contains(server.Output, line => line.Contains("postino stopped", StringComparison.Ordinal));
        var maildir = Path.Combine(server.DataDir, "mail", "demo", "Maildir");
        var messages = Directory.GetFiles(Path.Combine(maildir, "cur")).Concat(Directory.GetFiles(Path.Combine(maildir, "new")));
        Assert.Single(messages);
    }

    [Fact]
    public async Task A_bad_option_stops_the_start_and_names_the_option()
    {
        var folder = Directory.CreateTempSubdirectory("postino-config-").FullName;
        try
        {
            var config = Path.Combine(folder, "postino.json");
            await File.WriteAllTextAsync(config, """{ "DataDir": "data", "Pop3": { "IdleTimeout": "soon" } }""");
            var (exit, _, stderr) = await PostinoProcess.RunAsync(["serve", "--config", config]);
            Assert.Equal(78, exit);
            Assert.Contains("Pop3:IdleTimeout", stderr, StringComparison.Ordinal);

            await File.WriteAllTextAsync(config, """{ "DataDir": "data", "Pop3": { "IdelTimeout": "00:01:00" } }""");
            (exit, _, stderr) = await PostinoProcess.RunAsync(["serve", "--config", config]);
            Assert.Equal(78, exit);
            Assert.Contains("Pop3:IdelTimeout: unknown option", stderr, StringComparison.Ordinal);

            await File.WriteAllTextAsync(config, """{ "DataDir": "data", "Pop3": { "Listen": "127.0.0.1:99999" } }""");
            (exit, _, stderr) = await PostinoProcess.RunAsync(["serve", "--config", config]);
            Assert.Equal(78, exit);
            Assert.Contains("Pop3:Listen", stderr, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task A_malformed_users_file_stops_the_start_and_names_the_line()
    {
        var folder = Directory.CreateTempSubdirectory("postino-users-").FullName;
        try
        {
            await File.WriteAllTextAsync(Path.Combine(folder, "users"), "alice:{PLAIN}secret\nbob:{NOSUCH}x\n");
            var (exit, _, stderr) = await PostinoProcess.RunAsync(["serve", "--data-dir", folder, "--pop3", "127.0.0.1:0"]);
            Assert.Equal(78, exit);
            Assert.Contains("users:2:", stderr, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task The_embedded_default_creates_the_demo_user_once()
    {
        await using var server = await PostinoProcess.StartAsync();
        Assert.Matches("^[A-Za-z0-9]{16}$", server.DemoPassword);
        var users = await File.ReadAllTextAsync(Path.Combine(server.DataDir, "users"));
        Assert.StartsWith("demo:{ARGON2ID}", users, StringComparison.Ordinal);
        Assert.DoesNotContain(server.DemoPassword, users, StringComparison.Ordinal);
        Assert.DoesNotContain(server.Output, line => line.Contains("error", StringComparison.OrdinalIgnoreCase));
    }
}
