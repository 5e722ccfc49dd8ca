using System.Net.Security;
using System.Security.Authentication;
using Postino.Server.Tls;

namespace Postino.Server.Tests.Tls;

public class TlsOptionsTests
{
    [Fact]
    public void Default_is_tls12_and_tls13() => Assert.Equal(SslProtocols.Tls12 | SslProtocols.Tls13, new TlsOptions().Protocols);

    [Theory]
    [InlineData("tls1.2,tls1.3", SslProtocols.Tls12 | SslProtocols.Tls13)]
    [InlineData("TLSv1.3", SslProtocols.Tls13)]
    [InlineData(" 1.2 ", SslProtocols.Tls12)]
    public void Protocols_parse(string text, SslProtocols expected) => Assert.Equal(expected, TlsOptions.ParseProtocols(text));

    [Theory]
    [InlineData("ssl3")]
    [InlineData("tls1.0")]
    [InlineData("")]
    public void Unknown_or_old_protocols_are_configuration_errors(string text) =>
        Assert.Throws<FormatException>(() => TlsOptions.ParseProtocols(text));

    [Fact]
    public void Cipher_suites_parse_by_iana_name() =>
        Assert.Equal(
            [TlsCipherSuite.TLS_AES_128_GCM_SHA256, TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384],
            TlsOptions.ParseCipherSuites("TLS_AES_128_GCM_SHA256:tls_ecdhe_ecdsa_with_aes_256_gcm_sha384"));

    [Theory]
    [InlineData("AES128")]
    [InlineData("TLS_MADE_UP")]
    [InlineData("")]
    public void Unknown_cipher_suites_are_configuration_errors(string text) =>
        Assert.Throws<FormatException>(() => TlsOptions.ParseCipherSuites(text));
}
