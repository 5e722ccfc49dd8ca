using System.Buffers;
using System.IO.Pipelines;
using Microsoft.Extensions.DependencyInjection;
using Postino.Protocols.Pop3;
using Postino.Server.Auth;
using Postino.Server.Pop3;
using Postino.Storage.Users;

namespace Postino.Server.Tests.Pop3;

/// <summary>The seams later features plug into: commands, capabilities, policies, texts, transport upgrade.</summary>
public class Pop3ExtensionTests
{
    [Fact]
    public async Task A_transport_upgrade_discards_pipelined_input_and_restarts_authorization()
    {
        await using var host = Pop3SessionTests.NewHost();
        var upgraded = new Pipe();
        var upgradedOutput = new Pipe();
        host.Configure = s => s.AddSingleton<IPop3Command>(new UpgradeCommand(
            new Pop3TestConnection.DuplexPipe(upgraded.Reader, upgradedOutput.Writer)));
        var connection = host.Connect();
        await connection.ReadLineAsync();

        // USER is pending before the upgrade; QUIT is injected after XUPG in the same packet and must not run.
        await connection.SendAsync("USER alice\r\nXUPG\r\nQUIT\r\n");
        Assert.Equal("+OK Send your password\r\n", await connection.ReadLineAsync());
        Assert.Equal("+OK Begin upgrade\r\n", await connection.ReadLineAsync());
        await upgraded.Writer.WriteAsync("PASS s3cret pass phrase\r\nCAPA\r\nQUIT\r\n"u8.ToArray());

        var afterUpgrade = upgradedOutput.Reader;
        var read = await afterUpgrade.ReadAtLeastAsync(22);
        var text = System.Text.Encoding.ASCII.GetString(read.Buffer.ToArray());
        afterUpgrade.AdvanceTo(read.Buffer.End);

        Assert.StartsWith("-ERR Send USER first\r\n", text, StringComparison.Ordinal);
        Assert.Equal(Pop3States.Authorization, connection.Session.State);
        Assert.True(connection.Session.IsSecure);
        await upgraded.Writer.CompleteAsync();
        await connection.Completion;
    }

    [Fact]
    public async Task A_failing_upgrade_ends_the_session()
    {
        await using var host = Pop3SessionTests.NewHost();
        host.Configure = s => s.AddSingleton<IPop3Command>(new UpgradeCommand(null));
        var connection = host.Connect();
        await connection.ReadLineAsync();

        await connection.SendAsync("XUPG\r\n");

        Assert.Equal("+OK Begin upgrade\r\n", await connection.ReadLineAsync());
        await connection.Completion;
        Assert.Equal(Pop3SessionEnd.UpgradeFailed, connection.Session.End);
    }

    [Fact]
    public async Task Capabilities_can_be_added_in_order_and_replaced_by_name()
    {
        await using var host = Pop3SessionTests.NewHost();
        host.Configure = s =>
        {
            s.AddSingleton<IPop3Capability>(new Pop3Capability("STLS", 15, session => session.IsSecure ? null : "STLS"));
            s.AddSingleton<IPop3Capability>(new Pop3Capability("IMPLEMENTATION", 90, _ => "IMPLEMENTATION Test"));
            s.AddSingleton<IPop3ExpirePolicy>(new FixedExpire("0"));
        };
        var connection = host.Connect();
        await connection.ReadLineAsync();

        await connection.SendAsync("CAPA\r\n");

        var lines = new List<string>();
        for (var line = await connection.ReadLineAsync(); line != ".\r\n"; line = await connection.ReadLineAsync())
        {
            lines.Add(line.TrimEnd());
        }

        Assert.Equal(
            ["+OK Capability list follows", "TOP", "STLS", "USER", "UIDL", "RESP-CODES", "AUTH-RESP-CODE", "PIPELINING",
                "EXPIRE 0", "LOGIN-DELAY 0", "IMPLEMENTATION Test"],
            lines);
    }

    [Fact]
    public async Task A_login_policy_refusing_plaintext_hides_user_and_refuses_user_and_pass()
    {
        await using var host = Pop3SessionTests.NewHost();
        host.Configure = s => s.AddSingleton<IPop3LoginPolicy>(new NoPlaintext());
        var connection = host.Connect();
        await connection.ReadLineAsync();

        await connection.SendAsync("USER alice\r\nPASS s3cret pass phrase\r\nCAPA\r\n");

        Assert.Equal("-ERR [AUTH] Plaintext login is not allowed on this connection\r\n", await connection.ReadLineAsync());
        Assert.Equal("-ERR [AUTH] Plaintext login is not allowed on this connection\r\n", await connection.ReadLineAsync());
        Assert.Equal("+OK Capability list follows\r\n", await connection.ReadLineAsync());
        Assert.Equal("TOP\r\n", await connection.ReadLineAsync());
        Assert.Equal("UIDL\r\n", await connection.ReadLineAsync());
    }

    [Fact]
    public async Task Texts_can_be_switched_per_session_with_english_as_fallback()
    {
        await using var host = Pop3SessionTests.NewHost();
        var italian = new Pop3Texts("it", new Dictionary<Pop3TextKey, string> { [Pop3TextKey.UnknownCommand] = "Comando sconosciuto" }, Pop3Texts.English);
        host.Configure = s => s.AddSingleton<IPop3Command>(new LanguageCommand(italian));
        var connection = host.Connect();
        await connection.ReadLineAsync();

        await connection.SendAsync("XLNG\r\nFOO\r\nSTAT\r\n");

        Assert.Equal("+OK\r\n", await connection.ReadLineAsync());
        Assert.Equal("-ERR Comando sconosciuto\r\n", await connection.ReadLineAsync());
        Assert.Equal("-ERR Command not valid in this state\r\n", await connection.ReadLineAsync());
    }

    [Fact]
    public void Every_text_key_has_an_english_text()
    {
        Assert.Equal(Enum.GetValues<Pop3TextKey>().Order(), Pop3Texts.English.Keys.Order());
    }

    [Fact]
    public async Task A_later_command_of_the_same_verb_replaces_the_earlier_one()
    {
        var first = new LanguageCommand(Pop3Texts.English);
        var second = new LanguageCommand(Pop3Texts.English);
        var table = new Pop3CommandTable([first, second]);
        await using var host = Pop3SessionTests.NewHost();
        var session = host.Services.GetRequiredService<Pop3SessionFactory>()
            .Create(new Postino.Server.Hosting.ClientConnection("pop3", null, null));

        Assert.Same(second, table.Find("XLNG", session, out var known));
        Assert.True(known);
        Assert.Null(table.Find("NOPE", session, out known));
        Assert.False(known);
    }

    [Fact]
    public async Task Apop_goes_through_the_shared_login_policy()
    {
        await using var host = Pop3SessionTests.NewHost();
        host.Options.EnableApop = true;
        host.AddUser("mrose", "tanstaafl");
        var policy = new RecordingLoginPolicy();
        host.Configure = s => s.AddSingleton<ILoginPolicy>(policy);
        var connection = host.Connect();
        await connection.ReadLineAsync();

        await connection.SendAsync("APOP mrose 00000000000000000000000000000000\r\nAPOP mrose a6f0dd348916c9ee9539661f94c75203\r\n");

        Assert.Equal("-ERR [AUTH] Authentication failed\r\n", await connection.ReadLineAsync());
        Assert.Equal("-ERR [LOGIN-DELAY] Logged in too recently; wait before logging in again\r\n", await connection.ReadLineAsync());
        Assert.Equal(["reject mrose 192.0.2.7", "accept mrose 192.0.2.7"], policy.Calls);
    }

    private sealed class RecordingLoginPolicy : ILoginPolicy
    {
        public List<string> Calls { get; } = [];

        public ValueTask<AuthenticationResult> RejectAsync(
            System.Net.IPAddress remoteAddress, string user, string? attemptedPassword, CancellationToken cancellationToken)
        {
            Calls.Add($"reject {user} {remoteAddress}");
            return ValueTask.FromResult(new AuthenticationResult(AuthenticationOutcome.BadCredentials));
        }

        public AuthenticationResult Accept(System.Net.IPAddress remoteAddress, UserRecord user)
        {
            Calls.Add($"accept {user.Name} {remoteAddress}");
            return new AuthenticationResult(AuthenticationOutcome.TooSoon);
        }
    }

    private sealed class UpgradeCommand(IDuplexPipe? next) : IPop3Command
    {
        public string Verb => "XUPG";

        public Pop3States AllowedIn => Pop3States.Authorization;

        public ValueTask ExecuteAsync(Pop3Session session, Pop3Command command, CancellationToken cancellationToken)
        {
            session.OkData("Begin upgrade");
            session.RequestTransportUpgrade((_, _) =>
            {
                if (next is null)
                {
                    throw new IOException("handshake failed");
                }

                session.IsSecure = true;
                return ValueTask.FromResult(next);
            });
            return ValueTask.CompletedTask;
        }
    }

    private sealed class LanguageCommand(Pop3Texts texts) : IPop3Command
    {
        public string Verb => "XLNG";

        public Pop3States AllowedIn => Pop3States.Any;

        public ValueTask ExecuteAsync(Pop3Session session, Pop3Command command, CancellationToken cancellationToken)
        {
            session.Texts = texts;
            session.Ok(Pop3TextKey.Noop);
            return ValueTask.CompletedTask;
        }
    }

    private sealed class FixedExpire(string value) : IPop3ExpirePolicy
    {
        public string GetExpireValue(Pop3Session session) => value;
    }

    private sealed class NoPlaintext : IPop3LoginPolicy
    {
        public bool AllowsPlaintextLogin(Pop3Session session) => false;
    }
}
