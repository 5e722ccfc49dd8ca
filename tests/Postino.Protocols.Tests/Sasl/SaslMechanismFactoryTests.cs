using Postino.Protocols.Sasl;

namespace Postino.Protocols.Tests.Sasl;

public class SaslMechanismFactoryTests
{
    private readonly FakeCredentials _credentials = new();

    [Fact]
    public void Plaintext_mechanisms_only_where_allowed()
    {
        var factory = new SaslMechanismFactory("mail.example", _credentials, _credentials);
        Assert.Equal(["SCRAM-SHA-256", "CRAM-MD5"], factory.Available(new SaslConnection(_credentials, PlaintextAllowed: false)));
        Assert.Equal(["SCRAM-SHA-256", "CRAM-MD5", "PLAIN", "LOGIN"], factory.Available(new SaslConnection(_credentials, PlaintextAllowed: true)));
    }

    [Fact]
    public void Plus_only_with_channel_binding_data()
    {
        var factory = new SaslMechanismFactory("mail.example", scramCredentials: _credentials);
        Assert.Equal(["SCRAM-SHA-256-PLUS", "SCRAM-SHA-256", "PLAIN", "LOGIN"],
            factory.Available(new SaslConnection(_credentials, PlaintextAllowed: true, TlsServerEndPoint: new byte[32])));
    }

    [Fact]
    public void Enabled_list_restricts_and_sources_gate()
    {
        var factory = new SaslMechanismFactory("mail.example", enabled: ["plain", "cram-md5", "scram-sha-256"]);
        Assert.Equal(["PLAIN"], factory.Available(new SaslConnection(_credentials, PlaintextAllowed: true)));
    }

    [Theory]
    [InlineData("plain", "PLAIN")]
    [InlineData("Login", "LOGIN")]
    [InlineData("scram-sha-256", "SCRAM-SHA-256")]
    [InlineData("SCRAM-SHA-256-PLUS", "SCRAM-SHA-256-PLUS")]
    public void Create_is_case_insensitive(string requested, string expected)
    {
        var factory = new SaslMechanismFactory("mail.example", _credentials, _credentials);
        var mechanism = factory.Create(requested, new SaslConnection(_credentials, true, new byte[32]));
        Assert.Equal(expected, mechanism?.Name);
    }

    [Theory]
    [InlineData("PLAIN")]
    [InlineData("LOGIN")]
    [InlineData("SCRAM-SHA-256-PLUS")]
    [InlineData("GSSAPI")]
    [InlineData("")]
    public void Create_refuses_what_is_not_available_here(string requested)
    {
        var factory = new SaslMechanismFactory("mail.example", _credentials, _credentials);
        Assert.Null(factory.Create(requested, new SaslConnection(_credentials, PlaintextAllowed: false)));
    }
}
