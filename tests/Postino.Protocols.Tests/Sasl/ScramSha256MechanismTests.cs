using System.Text;
using Postino.Protocols.Sasl;

namespace Postino.Protocols.Tests.Sasl;

public class ScramSha256MechanismTests
{
    private const string Rfc7677ServerNonce = "%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0";
    private static readonly byte[] Rfc7677Salt = Convert.FromBase64String("W22ZaJ0SNY7soEsUEjb6gQ==");
    private static readonly byte[] EndPoint = Enumerable.Range(1, 32).Select(i => (byte)i).ToArray();

    private readonly FakeCredentials _credentials =
        new FakeCredentials().WithScram(ScramCredential.Derive("user", "pencil", Rfc7677Salt, 4096));

    private ScramSha256Mechanism Mechanism(bool plus = false, byte[]? endPoint = null, SaslAuthorizationPolicy? policy = null) =>
        new(_credentials, plus, new ScramOptions
        {
            TlsServerEndPoint = endPoint,
            NonceFactory = () => Rfc7677ServerNonce,
            Authorization = policy ?? SaslAuthorization.SameUserOnly,
        });

    [Fact]
    public async Task Rfc7677_example_exchange()
    {
        var mechanism = Mechanism();
        var serverFirst = await mechanism.StartAsync("n,,n=user,r=rOprNGfwEbeRWgbNEkqO"u8.ToArray(), default);
        Assert.Equal(
            "r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096",
            Encoding.UTF8.GetString(Assert.IsType<SaslStep.Challenge>(serverFirst).Data));

        var final = await mechanism.StepAsync(Encoding.ASCII.GetBytes(
            "c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ="), default);
        var success = Assert.IsType<SaslStep.Success>(final);
        Assert.Equal("user", success.User);
        Assert.Equal("v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=", Encoding.ASCII.GetString(success.FinalData!));
    }

    [Fact]
    public async Task Without_initial_response_the_server_sends_an_empty_challenge_first()
    {
        var mechanism = Mechanism();
        var client = new ScramTestClient("user", "pencil");
        Assert.Empty(Assert.IsType<SaslStep.Challenge>(await mechanism.StartAsync(null, default)).Data);
        var serverFirst = Assert.IsType<SaslStep.Challenge>(await mechanism.StepAsync(client.ClientFirst(), default));
        var success = Assert.IsType<SaslStep.Success>(await mechanism.StepAsync(client.ClientFinal(serverFirst.Data), default));
        Assert.True(client.VerifiesServerFinal(success.FinalData!));
    }

    [Fact]
    public async Task Wrong_password_is_bad_credentials()
    {
        var (step, _) = await RunAsync(Mechanism(), new ScramTestClient("user", "pen"));
        Assert.Equal(new SaslStep.Failure(SaslFailureReason.BadCredentials, "user"), step);
    }

    [Fact]
    public async Task Corrupted_proof_is_bad_credentials()
    {
        var mechanism = Mechanism();
        var client = new ScramTestClient("user", "pencil");
        var serverFirst = Assert.IsType<SaslStep.Challenge>(await mechanism.StartAsync(client.ClientFirst(), default));
        Assert.Equal(new SaslStep.Failure(SaslFailureReason.BadCredentials, "user"),
            await mechanism.StepAsync(client.ClientFinal(serverFirst.Data, corruptProof: true), default));
    }

    [Fact]
    public async Task Nonce_not_echoed_is_malformed()
    {
        var mechanism = Mechanism();
        var client = new ScramTestClient("user", "pencil");
        var serverFirst = Assert.IsType<SaslStep.Challenge>(await mechanism.StartAsync(client.ClientFirst(), default));
        var failure = Assert.IsType<SaslStep.Failure>(
            await mechanism.StepAsync(client.ClientFinal(serverFirst.Data, nonceOverride: "rOprNGfwEbeRWgbNEkqOother"), default));
        Assert.Equal(SaslFailureReason.MalformedResponse, failure.Reason);
    }

    [Fact]
    public async Task Unknown_user_gets_a_stable_made_up_salt_and_fails_at_the_proof()
    {
        var first = Assert.IsType<SaslStep.Challenge>(await Mechanism().StartAsync(new ScramTestClient("ghost", "x").ClientFirst(), default));
        var again = Assert.IsType<SaslStep.Challenge>(await Mechanism().StartAsync(new ScramTestClient("ghost", "x").ClientFirst(), default));
        Assert.Equal(first.Data, again.Data);
        Assert.EndsWith(",i=4096", Encoding.UTF8.GetString(first.Data));

        var (step, _) = await RunAsync(Mechanism(), new ScramTestClient("ghost", "x"));
        Assert.Equal(new SaslStep.Failure(SaslFailureReason.BadCredentials, "ghost"), step);
    }

    [Fact]
    public async Task Escaped_user_names_are_decoded_before_lookup()
    {
        _credentials.WithScram(ScramCredential.Derive("a,b=c", "pw", Rfc7677Salt, 4096));
        var (step, _) = await RunAsync(Mechanism(), new ScramTestClient("a,b=c", "pw"));
        Assert.Equal("a,b=c", Assert.IsType<SaslStep.Success>(step).User);
        Assert.Contains("a,b=c", _credentials.Lookups);
    }

    [Fact]
    public async Task Plus_with_matching_channel_binding_succeeds()
    {
        var client = new ScramTestClient("user", "pencil", "p=tls-server-end-point,,", EndPoint);
        var (step, _) = await RunAsync(Mechanism(plus: true, endPoint: EndPoint), client);
        Assert.True(client.VerifiesServerFinal(Assert.IsType<SaslStep.Success>(step).FinalData!));
    }

    [Fact]
    public async Task Plus_with_other_channel_binding_data_fails()
    {
        var client = new ScramTestClient("user", "pencil", "p=tls-server-end-point,,", [.. EndPoint.Reverse()]);
        var (step, _) = await RunAsync(Mechanism(plus: true, endPoint: EndPoint), client);
        Assert.Equal(new SaslStep.Failure(SaslFailureReason.ChannelBindingMismatch, "user"), step);
    }

    [Theory]
    [InlineData("n,,")]
    [InlineData("y,,")]
    [InlineData("p=tls-unique,,")]
    public async Task Plus_requires_tls_server_end_point_binding(string gs2Header)
    {
        var step = await Mechanism(plus: true, endPoint: EndPoint)
            .StartAsync(new ScramTestClient("user", "pencil", gs2Header).ClientFirst(), default);
        Assert.Equal(SaslFailureReason.ChannelBindingMismatch, Assert.IsType<SaslStep.Failure>(step).Reason);
    }

    [Fact]
    public async Task Plain_scram_refuses_a_client_that_asks_for_binding()
    {
        var step = await Mechanism().StartAsync(new ScramTestClient("user", "pencil", "p=tls-server-end-point,,").ClientFirst(), default);
        Assert.Equal(SaslFailureReason.ChannelBindingMismatch, Assert.IsType<SaslStep.Failure>(step).Reason);
    }

    [Fact]
    public async Task Y_flag_is_a_downgrade_when_the_server_could_bind()
    {
        var step = await Mechanism(endPoint: EndPoint).StartAsync(new ScramTestClient("user", "pencil", "y,,").ClientFirst(), default);
        Assert.Equal(SaslFailureReason.ChannelBindingMismatch, Assert.IsType<SaslStep.Failure>(step).Reason);
    }

    [Fact]
    public async Task Y_flag_is_fine_without_tls()
    {
        var (step, _) = await RunAsync(Mechanism(), new ScramTestClient("user", "pencil", "y,,"));
        Assert.IsType<SaslStep.Success>(step);
    }

    [Fact]
    public async Task Foreign_authzid_is_denied_by_default_and_allowed_by_policy()
    {
        var (denied, _) = await RunAsync(Mechanism(), new ScramTestClient("user", "pencil", "n,a=boss,"));
        Assert.Equal(new SaslStep.Failure(SaslFailureReason.AuthorizationDenied, "user"), denied);

        var (allowed, _) = await RunAsync(Mechanism(policy: (_, requested) => requested == "boss"), new ScramTestClient("user", "pencil", "n,a=boss,"));
        Assert.Equal("boss", Assert.IsType<SaslStep.Success>(allowed).User);
    }

    [Theory]
    [InlineData("n,,n=user")]
    [InlineData("x,,n=user,r=abc")]
    [InlineData("n,,m=ext,n=user,r=abc")]
    [InlineData("n,,n=us=er,r=abc")]
    [InlineData("n,,n=,r=abc")]
    [InlineData("n,,n=user,r=")]
    [InlineData("n,b=x,n=user,r=abc")]
    [InlineData("n,,r=abc,n=user")]
    public async Task Malformed_client_first_messages(string message)
    {
        var step = await Mechanism().StartAsync(Encoding.UTF8.GetBytes(message), default);
        Assert.Equal(SaslFailureReason.MalformedResponse, Assert.IsType<SaslStep.Failure>(step).Reason);
        Assert.Empty(_credentials.Lookups);
    }

    [Theory]
    [InlineData("c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0")]
    [InlineData("c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,p=short")]
    [InlineData("c=bad!,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=")]
    [InlineData("r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,c=biws,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=")]
    public async Task Malformed_client_final_messages(string message)
    {
        var mechanism = Mechanism();
        await mechanism.StartAsync("n,,n=user,r=rOprNGfwEbeRWgbNEkqO"u8.ToArray(), default);
        var failure = Assert.IsType<SaslStep.Failure>(await mechanism.StepAsync(Encoding.UTF8.GetBytes(message), default));
        Assert.Equal(SaslFailureReason.MalformedResponse, failure.Reason);
    }

    [Fact]
    public async Task Binding_header_must_repeat_the_first_message_gs2_header()
    {
        var mechanism = Mechanism();
        await mechanism.StartAsync("n,,n=user,r=rOprNGfwEbeRWgbNEkqO"u8.ToArray(), default);
        // "eSws" is base64("y,,"): the client changed its mind between the two messages.
        var failure = Assert.IsType<SaslStep.Failure>(await mechanism.StepAsync(Encoding.ASCII.GetBytes(
            "c=eSws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ="), default));
        Assert.Equal(SaslFailureReason.ChannelBindingMismatch, failure.Reason);
    }

    [Fact]
    public void Plus_without_binding_data_is_a_programming_error() =>
        Assert.Throws<ArgumentException>(() => new ScramSha256Mechanism(_credentials, plus: true));

    private static async Task<(SaslStep Last, SaslStep.Challenge ServerFirst)> RunAsync(ScramSha256Mechanism mechanism, ScramTestClient client)
    {
        var serverFirst = Assert.IsType<SaslStep.Challenge>(await mechanism.StartAsync(client.ClientFirst(), default));
        return (await mechanism.StepAsync(client.ClientFinal(serverFirst.Data), default), serverFirst);
    }
}
