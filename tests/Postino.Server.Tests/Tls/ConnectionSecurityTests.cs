using System.Net;
using System.Net.Security;
using System.Security.Authentication;
using Postino.Server.Tls;

namespace Postino.Server.Tests.Tls;

public class ConnectionSecurityTests
{
    private static readonly TlsServerSettings WithCertificate = new(new FixedCertificateProvider(TestCertificates.SelfSigned()));
    private static readonly IPAddress Remote = IPAddress.Parse("203.0.113.9");

    [Fact]
    public void Plain_connection_with_a_certificate_offers_stls_and_refuses_plaintext()
    {
        var security = new ConnectionSecurity(WithCertificate, PlaintextAuthPolicy.LoopbackTrusted, Remote);
        Assert.True(security.CanStartTls);
        Assert.False(security.PlaintextAllowed);
        Assert.Null(security.ChannelBinding);
    }

    [Fact]
    public void After_stls_plaintext_is_allowed_stls_is_gone_and_binding_is_there()
    {
        var security = new ConnectionSecurity(WithCertificate, PlaintextAuthPolicy.LoopbackTrusted, Remote);
        security.TlsStarted(new TlsConnectionInfo(SslProtocols.Tls13, TlsCipherSuite.TLS_AES_128_GCM_SHA256, [1, 2, 3]));
        Assert.False(security.CanStartTls);
        Assert.True(security.PlaintextAllowed);
        Assert.Equal([1, 2, 3], security.ChannelBinding);
        Assert.Throws<InvalidOperationException>(() =>
            security.TlsStarted(new TlsConnectionInfo(SslProtocols.Tls13, TlsCipherSuite.TLS_AES_128_GCM_SHA256, null)));
    }

    [Fact]
    public void Without_certificate_no_stls()
    {
        Assert.False(new ConnectionSecurity(null, PlaintextAuthPolicy.LoopbackTrusted, Remote).CanStartTls);
        Assert.False(new ConnectionSecurity(new TlsServerSettings(new FixedCertificateProvider(null)), PlaintextAuthPolicy.LoopbackTrusted, Remote).CanStartTls);
    }

    [Fact]
    public void Implicit_tls_starts_secure()
    {
        var info = new TlsConnectionInfo(SslProtocols.Tls12, TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, null);
        var security = new ConnectionSecurity(WithCertificate, PlaintextAuthPolicy.TlsRequired, Remote, info);
        Assert.True(security.IsTls);
        Assert.False(security.CanStartTls);
        Assert.True(security.PlaintextAllowed);
    }
}
