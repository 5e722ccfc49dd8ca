using System.Net;
using System.Net.Sockets;

namespace Postino.Interop.Tests;

/// <summary><c>postino --version</c>, <c>check-config</c>, and start-up failures as one line with a distinct exit code.</summary>
public class StartupFailureTests
{
    [Fact]
    public async Task A_busy_port_is_one_line_naming_the_listener_and_exits_71()
    {
        using var busy = new TcpListener(IPAddress.Loopback, 0);
        busy.Start();
        var port = ((IPEndPoint)busy.LocalEndpoint).Port;
        var folder = Directory.CreateTempSubdirectory("postino-busy-").FullName;
        try
        {
            var (exit, _, stderr) = await ExternalProgram.RunAsync("dotnet",
            [
                PostinoBinary.Path, "serve", "--data-dir", folder, "--pop3", "127.0.0.1:0", "--pop3s", $"127.0.0.1:{port}",
                "--pop2", "none", "--lmtp", "none", "--smtp", "none",
            ]);
            Assert.Equal(71, exit);
            var line = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
            Assert.Equal($"postino serve: cannot listen: pop3s on 127.0.0.1:{port}: address already in use", line);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task Version_prints_the_version()
    {
        var (exit, stdout, _) = await PostinoProcess.RunAsync(["--version"]);
        Assert.Equal(0, exit);
        Assert.Matches(@"^\d+\.\d+\.\d+", stdout);
    }

    [Fact]
    public async Task Check_config_prints_the_effective_listeners_and_exits_78_like_serve_on_a_bad_option()
    {
        var folder = Directory.CreateTempSubdirectory("postino-check-").FullName;
        try
        {
            var config = Path.Combine(folder, "postino.json");
            await File.WriteAllTextAsync(config, """{ "DataDir": "data", "Pop3": { "Listen": "127.0.0.1:1110" }, "Pop2": { "Listen": "none" } }""");
            var (exit, stdout, _) = await PostinoProcess.RunAsync(["check-config", "--config", config]);
            Assert.Equal(0, exit);
            Assert.Contains("listener pop3: 127.0.0.1:1110", stdout, StringComparison.Ordinal);
            Assert.Contains("listener pop3s: 0.0.0.0:995 (TLS)", stdout, StringComparison.Ordinal);
            Assert.Contains("listener lmtp: 127.0.0.1:24", stdout, StringComparison.Ordinal);
            Assert.DoesNotContain("listener pop2", stdout, StringComparison.Ordinal);
            Assert.Contains("configuration OK", stdout, StringComparison.Ordinal);

            await File.WriteAllTextAsync(config, """{ "DataDir": "data", "Pop3": { "IdelTimeout": "00:01:00" } }""");
            var check = await PostinoProcess.RunAsync(["check-config", "--config", config]);
            var serve = await PostinoProcess.RunAsync(["serve", "--config", config]);
            Assert.Equal(78, check.ExitCode);
            Assert.Equal(78, serve.ExitCode);
            Assert.Contains("Pop3:IdelTimeout: unknown option", check.Stderr, StringComparison.Ordinal);
            Assert.Equal(serve.Stderr, check.Stderr);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
