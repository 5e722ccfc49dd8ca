using System.Net;
using System.Net.Sockets;
using System.Text;
using Postino.Cli.Commands;
using Postino.Cli.Fetch;
using Postino.Fetch.Fetching;

namespace Postino.Cli.Tests.Fetch;

public sealed class FetchCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("postino-cli-fetch-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private async Task<(int Code, string Output, string Error)> RunAsync(FetchSettings settings)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await FetchCommand.RunAsync(settings, output, error, terminal: false, TimeProvider.System, CancellationToken.None);
        return (code, output.ToString(), error.ToString());
    }

    [Fact]
    public async Task One_off_fetch_downloads_prints_a_summary_and_exits_0_with_a_redacted_trace()
    {
        await using var server = OneMessageServer.Start();
        var passwordFile = Path.Combine(_dir, "password");
        await File.WriteAllTextAsync(passwordFile, "s3cret\n");

        var (code, output, error) = await RunAsync(new FetchSettings
        {
            Url = $"pop3://alice@127.0.0.1:{server.Port}",
            PasswordFile = passwordFile,
            Destination = "maildir:" + Path.Combine(_dir, "Mail"),
            StatePath = Path.Combine(_dir, "state.json"),
            Verbose = true,
        });

        Assert.Equal(FetchExitCodes.Success, code);
        Assert.Contains("alice@127.0.0.1: ok: 1 downloaded", output, StringComparison.Ordinal);
        Assert.Contains("C: PASS ****", error, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret", error, StringComparison.Ordinal);
        Assert.Single(Directory.GetFiles(Path.Combine(_dir, "Mail", "new")));
        Assert.True(File.Exists(Path.Combine(_dir, "state.json")));
    }

    [Fact]
    public async Task Wrong_password_exits_3()
    {
        await using var server = OneMessageServer.Start();
        var passwordFile = Path.Combine(_dir, "password");
        await File.WriteAllTextAsync(passwordFile, "wrong");

        var (code, output, _) = await RunAsync(new FetchSettings
        {
            Url = $"pop3://alice@127.0.0.1:{server.Port}",
            PasswordFile = passwordFile,
            Destination = Path.Combine(_dir, "Mail"),
            StatePath = Path.Combine(_dir, "state.json"),
        });

        Assert.Equal(FetchExitCodes.Refused, code);
        Assert.Contains("login refused", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Config_file_accounts_are_fetched_with_a_password_command()
    {
        await using var server = OneMessageServer.Start();
        var config = Path.Combine(_dir, "fetch.json");
        await File.WriteAllTextAsync(config, $$"""
            {
              // comments are allowed
              "accounts": [
                { "name": "work", "server": "127.0.0.1", "port": {{server.Port}}, "protocol": "pop3", "tls": "none",
                  "user": "alice", "passwordCommand": "echo s3cret", "mode": "delete",
                  "destination": "mbox:{{Path.Combine(_dir, "work.mbox")}}", "state": "{{Path.Combine(_dir, "work.json")}}" }
              ]
            }
            """);

        var (code, output, _) = await RunAsync(new FetchSettings { AccountsPath = config });

        Assert.Equal(FetchExitCodes.Success, code);
        Assert.Contains("work: ok: 1 downloaded", output, StringComparison.Ordinal);
        Assert.Contains("1 deleted", output, StringComparison.Ordinal);
        Assert.StartsWith("From MAILER-DAEMON ", await File.ReadAllTextAsync(Path.Combine(_dir, "work.mbox")), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null, null, "either an account URL or --accounts")]
    [InlineData("pop3://alice@host", null, "No password")]
    [InlineData("ftp://alice@host", null, "Unknown scheme")]
    public async Task Usage_errors_exit_2_with_a_reason(string? url, string? destination, string reason)
    {
        var (code, _, error) = await RunAsync(new FetchSettings { Url = url, Destination = destination });

        Assert.Equal(FetchExitCodes.Usage, code);
        Assert.Contains(reason, error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unknown_destination_and_bad_fingerprint_are_usage_errors()
    {
        var passwordFile = Path.Combine(_dir, "password");
        await File.WriteAllTextAsync(passwordFile, "x");

        var destination = await RunAsync(new FetchSettings { Url = "pop3://a@h", PasswordFile = passwordFile, Destination = "imap:foo" });
        var fingerprint = await RunAsync(new FetchSettings { Url = "pop3://a@h", PasswordFile = passwordFile, Fingerprint = "12:34" });

        Assert.Equal((FetchExitCodes.Usage, FetchExitCodes.Usage), (destination.Code, fingerprint.Code));
        Assert.Contains("Unknown destination", destination.Error, StringComparison.Ordinal);
        Assert.Contains("64 hex digits", fingerprint.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Command_line_parses_modes_and_rejects_two_at_once()
    {
        var command = FetchCommand.Create();
        using var error = new StringWriter();
        var previous = Console.Error;
        Console.SetError(error);
        try
        {
            var code = await command.Parse(["pop3://a@h", "--delete", "--keep-days", "3"]).InvokeAsync();

            Assert.Equal(FetchExitCodes.Usage, code);
            Assert.Contains("choose one of", error.ToString(), StringComparison.Ordinal);
        }
        finally
        {
            Console.SetError(previous);
        }
    }

    [Fact]
    public async Task Config_still_names_the_accounts_file_with_a_deprecation_warning()
    {
        var accounts = Path.Combine(_dir, "missing-accounts.json");
        var command = FetchCommand.Create();
        using var error = new StringWriter();
        var previous = Console.Error;
        Console.SetError(error);
        try
        {
            var deprecated = await command.Parse(["--config", accounts]).InvokeAsync();
            var both = await command.Parse(["--config", accounts, "--accounts", accounts]).InvokeAsync();

            Assert.Equal((FetchExitCodes.Usage, FetchExitCodes.Usage), (deprecated, both));
            Assert.Contains("--config is deprecated", error.ToString(), StringComparison.Ordinal);
            Assert.Contains("missing-accounts.json", error.ToString(), StringComparison.Ordinal);
            Assert.Contains("give --accounts only", error.ToString(), StringComparison.Ordinal);
        }
        finally
        {
            Console.SetError(previous);
        }
    }

    [Theory]
    [InlineData(FetchOutcome.Success, 0)]
    [InlineData(FetchOutcome.TemporaryFailure, 1)]
    [InlineData(FetchOutcome.LoginDelay, 1)]
    [InlineData(FetchOutcome.AuthenticationFailed, 3)]
    [InlineData(FetchOutcome.PermanentFailure, 3)]
    [InlineData(FetchOutcome.TlsFailure, 4)]
    [InlineData(FetchOutcome.DestinationFailure, 5)]
    [InlineData(FetchOutcome.StateFailure, 5)]
    public void Exit_codes_are_as_documented(FetchOutcome outcome, int code) => Assert.Equal(code, FetchExitCodes.For(outcome));

    /// <summary>A POP3 server with one message for user alice / s3cret, serving one session at a time.</summary>
    private sealed class OneMessageServer : IAsyncDisposable
    {
        private readonly TcpListener _listener;
        private readonly Task _loop;
        private bool _deleted;

        private OneMessageServer(TcpListener listener)
        {
            _listener = listener;
            _loop = LoopAsync();
        }

        public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

        public static OneMessageServer Start()
        {
            var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            return new OneMessageServer(listener);
        }

        public async ValueTask DisposeAsync()
        {
            _listener.Stop();
            await _loop;
        }

        private async Task LoopAsync()
        {
            while (true)
            {
                TcpClient client;
                try
                {
                    client = await _listener.AcceptTcpClientAsync();
                }
                catch (Exception exception) when (exception is SocketException or ObjectDisposedException or InvalidOperationException)
                {
                    return;
                }

                using (client)
                {
                    try
                    {
                        await ServeAsync(client.GetStream());
                    }
                    catch (IOException)
                    {
                        // Client gone.
                    }
                }
            }
        }

        private async Task ServeAsync(NetworkStream stream)
        {
            using var reader = new StreamReader(stream, Encoding.ASCII);
            var marked = false;
            async Task Send(string text) => await stream.WriteAsync(Encoding.ASCII.GetBytes(text + "\r\n"));
            await Send("+OK ready");
            while (await reader.ReadLineAsync() is { } line)
            {
                var verb = line.Split(' ')[0];
                switch (verb)
                {
                    case "CAPA": await Send("+OK\r\nUSER\r\nUIDL\r\nTOP\r\n."); break;
                    case "USER": await Send("+OK"); break;
                    case "PASS": await Send(line == "PASS s3cret" ? "+OK" : "-ERR [AUTH] no"); break;
                    case "UIDL": await Send(_deleted ? "+OK\r\n." : "+OK\r\n1 one\r\n."); break;
                    case "LIST": await Send(_deleted ? "+OK\r\n." : "+OK\r\n1 30\r\n."); break;
                    case "RETR": await Send("+OK\r\nSubject: hi\r\n\r\nFrom here\r\n."); break;
                    case "DELE": marked = true; await Send("+OK"); break;
                    case "QUIT": _deleted |= marked; await Send("+OK"); return;
                    default: await Send("-ERR"); break;
                }
            }
        }
    }
}
