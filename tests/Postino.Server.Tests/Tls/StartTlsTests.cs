using System.Buffers;
using System.IO.Pipelines;
using System.Net.Security;
using System.Runtime.InteropServices;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Text;
using Postino.Server.Tls;

namespace Postino.Server.Tests.Tls;

public class StartTlsTests
{
    private static readonly TlsCertificate Certificate = TestCertificates.SelfSigned();

    private static TlsServerSettings Settings(TlsOptions? options = null) =>
        new(new FixedCertificateProvider(Certificate), options);

    [Fact]
    public async Task Commands_pipelined_after_stls_are_dropped_and_never_read()
    {
        var connection = new InMemoryConnection();
        await connection.Client.WriteAsync("STLS\r\nUSER evil\r\nPASS evil\r\n"u8.ToArray());

        Assert.Equal("STLS", await InMemoryConnection.ReadLineAsync(connection.Server.Input));
        Assert.Equal("USER evil\r\nPASS evil\r\n".Length, StartTls.DiscardBufferedInput(connection.Server.Input));
        await connection.Server.Output.WriteAsync("+OK Begin TLS negotiation\r\n"u8.ToArray());
        Assert.Equal("+OK Begin TLS negotiation", await InMemoryConnection.ReadLineAsync(connection.Client));

        var upgrade = StartTls.UpgradeAsync(connection.Server, Settings(), default);
        await using var client = await InMemoryConnection.ClientHandshakeAsync(connection.Client, Certificate.Certificate);
        await using var tls = await upgrade;

        await client.WriteAsync("CAPA\r\n"u8.ToArray());
        await client.FlushAsync();
        Assert.Equal("CAPA", await InMemoryConnection.ReadLineAsync(tls.Input));

        await tls.Output.WriteAsync("+OK\r\n"u8.ToArray());
        Assert.Equal("+OK", await InMemoryConnection.ReadLineAsync(client));
    }

    [Fact]
    public async Task Nothing_buffered_means_nothing_dropped()
    {
        var connection = new InMemoryConnection();
        Assert.Equal(0, StartTls.DiscardBufferedInput(connection.Server.Input));
    }

    [Fact]
    public async Task Injection_arriving_after_the_discard_breaks_the_handshake()
    {
        var connection = new InMemoryConnection();
        var upgrade = StartTls.UpgradeAsync(connection.Server, Settings(), default);
        await connection.Client.WriteAsync("USER evil\r\n"u8.ToArray());
        await connection.Client.FlushAsync();
        await Assert.ThrowsAsync<TlsHandshakeFailedException>(() => upgrade);
    }

    [Fact]
    public async Task Info_names_protocol_cipher_and_channel_binding()
    {
        var (tls, client) = await HandshakeAsync(Settings());
        await using var _ = tls;
        await using var __ = client;
        Assert.Equal(client.SslProtocol, tls.Info.Protocol);
        Assert.Equal(client.NegotiatedCipherSuite, tls.Info.CipherSuite);
        Assert.Equal(SHA256.HashData(Certificate.Certificate.RawData), tls.Info.TlsServerEndPoint);
        Assert.Equal("TLSv1.3 " + client.NegotiatedCipherSuite, tls.Info.ToString());
    }

    [Fact]
    public async Task An_upgraded_connection_frees_its_openssl_buffers_while_idle()
    {
        var (tls, client) = await HandshakeAsync(Settings());
        await using var _ = tls;
        await using var __ = client;
        Assert.True(OpenSslIdleBuffers.IsSet(tls.Stream));
    }

    [Fact]
    public async Task Our_channel_binding_matches_what_the_dotnet_client_computes()
    {
        var (tls, client) = await HandshakeAsync(Settings());
        await using var _ = tls;
        await using var __ = client;
        using var binding = client.TransportContext.GetChannelBinding(System.Security.Authentication.ExtendedProtection.ChannelBindingKind.Endpoint);
        Assert.NotNull(binding);
        var raw = new byte[binding.Size];
        Marshal.Copy(binding.DangerousGetHandle(), raw, 0, raw.Length);
        Assert.Equal(tls.Info.TlsServerEndPoint, raw[^32..]);
    }

    [Fact]
    public async Task Configured_protocol_is_negotiated()
    {
        var (tls, client) = await HandshakeAsync(Settings(new TlsOptions { Protocols = SslProtocols.Tls12 }));
        await using var _ = tls;
        await using var __ = client;
        Assert.Equal(SslProtocols.Tls12, tls.Info.Protocol);
        Assert.Equal("TLSv1.2", tls.Info.ProtocolName);
    }

    [Fact]
    public async Task Configured_cipher_policy_is_applied()
    {
        var options = new TlsOptions { CipherSuites = [TlsCipherSuite.TLS_CHACHA20_POLY1305_SHA256] };
        var (tls, client) = await HandshakeAsync(Settings(options));
        await using var _ = tls;
        await using var __ = client;
        Assert.Equal(TlsCipherSuite.TLS_CHACHA20_POLY1305_SHA256, tls.Info.CipherSuite);
    }

    [Fact]
    public async Task Client_offering_only_older_protocols_fails_the_handshake()
    {
        var connection = new InMemoryConnection();
        var upgrade = StartTls.UpgradeAsync(connection.Server, Settings(new TlsOptions { Protocols = SslProtocols.Tls13 }), default);
        var clientFails = Assert.ThrowsAnyAsync<Exception>(() =>
            InMemoryConnection.ClientHandshakeAsync(connection.Client, Certificate.Certificate, SslProtocols.Tls12));
        await Assert.ThrowsAsync<TlsHandshakeFailedException>(() => upgrade);
        await clientFails;
    }

    [Fact]
    public async Task Silent_client_times_out()
    {
        var connection = new InMemoryConnection();
        var exception = await Assert.ThrowsAsync<TlsHandshakeFailedException>(() =>
            StartTls.UpgradeAsync(connection.Server, Settings(new TlsOptions { HandshakeTimeout = TimeSpan.FromMilliseconds(50) }), default));
        Assert.Contains("timed out", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_certificate_there_is_no_handshake()
    {
        var connection = new InMemoryConnection();
        var settings = new TlsServerSettings(new FixedCertificateProvider(null));
        Assert.False(settings.IsAvailable);
        await Assert.ThrowsAsync<TlsHandshakeFailedException>(() => StartTls.UpgradeAsync(connection.Server, settings, default));
    }

    [Fact]
    public async Task Cancellation_by_the_caller_is_not_a_handshake_failure()
    {
        var connection = new InMemoryConnection();
        using var cancellation = new CancellationTokenSource();
        var upgrade = StartTls.UpgradeAsync(connection.Server, Settings(), cancellation.Token);
        await cancellation.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => upgrade);
    }

    [Fact]
    public async Task Closing_after_the_peer_vanished_does_not_throw()
    {
        // The implicit-TLS listener disposes the TLS layer after every session, whatever state the socket is in: the
        // last bytes and close_notify to a reset connection must not surface as an error of the connection.
        var connection = new InMemoryConnection();
        var output = new BreakableWriter(connection.Server.Output);
        var upgrade = StartTls.UpgradeAsync(new TestPipe(connection.Server.Input, output), Settings(), default);
        await using var client = await InMemoryConnection.ClientHandshakeAsync(connection.Client, Certificate.Certificate);
        var tls = await upgrade;
        await tls.Output.WriteAsync("+OK\r\n"u8.ToArray());
        Assert.Equal("+OK", await InMemoryConnection.ReadLineAsync(client));

        output.Broken = true;
        tls.Output.Write("never sent\r\n"u8);
        await tls.DisposeAsync();
    }

    private static async Task<(TlsConnection Server, SslStream Client)> HandshakeAsync(TlsServerSettings settings)
    {
        var connection = new InMemoryConnection();
        var upgrade = StartTls.UpgradeAsync(connection.Server, settings, default);
        var client = await InMemoryConnection.ClientHandshakeAsync(connection.Client, Certificate.Certificate);
        var server = await upgrade;
        await client.WriteAsync(Encoding.ASCII.GetBytes("x"));
        return (server, client);
    }

    private sealed record TestPipe(PipeReader Input, PipeWriter Output) : IDuplexPipe;

    /// <summary>A transport writer that fails as a reset socket does, once <see cref="Broken"/>.</summary>
    private sealed class BreakableWriter(PipeWriter inner) : PipeWriter
    {
        public bool Broken { get; set; }

        public override void Advance(int bytes) => inner.Advance(bytes);

        public override void CancelPendingFlush() => inner.CancelPendingFlush();

        public override void Complete(Exception? exception = null) => inner.Complete(exception);

        public override ValueTask<FlushResult> FlushAsync(CancellationToken cancellationToken = default) =>
            Broken ? ValueTask.FromException<FlushResult>(new IOException("Connection reset by peer")) : inner.FlushAsync(cancellationToken);

        public override Memory<byte> GetMemory(int sizeHint = 0) => inner.GetMemory(sizeHint);

        public override Span<byte> GetSpan(int sizeHint = 0) => inner.GetSpan(sizeHint);
    }
}
