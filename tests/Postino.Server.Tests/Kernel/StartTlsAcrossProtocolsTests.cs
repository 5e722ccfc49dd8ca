using System.IO.Pipelines;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Postino.Protocols.Pop3;
using Postino.Server.Pop3;
using Postino.Server.Smtp;
using Postino.Server.Tests.Delivery;
using Postino.Server.Tests.Pop3;

namespace Postino.Server.Tests.Kernel;

/// <summary>
/// POP3 STLS and SMTP STARTTLS go through the one kernel path: plaintext pipelined after the command is never read,
/// and the session itself closes the TLS layer, once.
/// </summary>
public sealed class StartTlsAcrossProtocolsTests
{
    [Fact]
    public async Task Pop3_stls_discards_pipelined_plaintext_and_the_session_closes_the_tls_layer_once()
    {
        await using var host = Pop3SessionTests.NewHost();
        var upgrade = new CountingUpgradeCommand();
        host.Configure = s => s.AddSingleton<IPop3Command>(upgrade);
        var connection = host.Connect();
        await connection.ReadLineAsync();

        await connection.SendAsync("XUPG\r\nUSER alice\r\n");
        Assert.Equal("+OK Begin upgrade\r\n", await connection.ReadLineAsync());
        await connection.SendAsync("QUIT\r\n");
        var after = Encoding.ASCII.GetString(await connection.ReadToEndAsync());
        await connection.Completion;

        // USER would have answered "+OK Send your password": it was injected before the upgrade and never ran.
        Assert.Equal($"+OK {Pop3TestHost.HostName} POP3 server signing off\r\n", after);
        Assert.Equal(1, upgrade.Tls!.Disposals);
    }

    [Fact]
    public async Task Smtp_starttls_discards_pipelined_plaintext_and_the_session_closes_the_tls_layer_once()
    {
        var upgrade = new CountingStartTls();
        await using var harness = new SessionHarness(MailTransferDialect.Smtp) { StartTls = upgrade };
        harness.Start();
        await harness.ReadReplyAsync();
        await harness.SendAsync("EHLO c.test\r\n");
        await harness.ReadReplyAsync();

        await harness.SendAsync("STARTTLS\r\nEHLO evil.test\r\n");
        Assert.Equal("220 2.0.0 Ready to start TLS\r\n", await harness.ReadReplyAsync());
        await harness.SendAsync("QUIT\r\n");
        var after = await harness.ReadToEndAsync();
        await harness.Session;

        Assert.Equal("221 2.0.0 Bye\r\n", after);
        Assert.Equal(1, upgrade.Tls!.Disposals);
    }

    /// <summary>An STLS stand-in: "+OK", then a pass-through "TLS" layer that counts its closes.</summary>
    private sealed class CountingUpgradeCommand : IPop3Command
    {
        public CountingTlsPipe? Tls { get; private set; }

        public string Verb => "XUPG";

        public Pop3States AllowedIn => Pop3States.Authorization;

        public ValueTask ExecuteAsync(Pop3Session session, Pop3Command command, CancellationToken cancellationToken)
        {
            session.OkData("Begin upgrade");
            session.RequestTransportUpgrade((transport, _) =>
            {
                Tls = new CountingTlsPipe(transport);
                return ValueTask.FromResult<IDuplexPipe>(Tls);
            });
            return ValueTask.CompletedTask;
        }
    }

    private sealed class CountingStartTls : IStartTlsUpgrade
    {
        public CountingTlsPipe? Tls { get; private set; }

        public bool IsAvailable => true;

        public ValueTask<IDuplexPipe> UpgradeAsync(IDuplexPipe transport, CancellationToken cancellationToken)
        {
            Tls = new CountingTlsPipe(transport);
            return ValueTask.FromResult<IDuplexPipe>(Tls);
        }
    }
}
