using System.Text;
using Postino.Protocols.Sasl;

namespace Postino.Protocols.Tests.Sasl;

public class PlainMechanismTests
{
    private readonly FakeCredentials _credentials = new FakeCredentials()
        .WithPassword("tim", "tanstaaftanstaaf")
        .WithPassword("Kurt", "xipj3plmq")
        .WithPassword("Ursel", "other");

    [Fact]
    public async Task Rfc4616_example_without_authzid_succeeds()
    {
        var step = await new PlainMechanism(_credentials).StartAsync(Bytes("\0tim\0tanstaaftanstaaf"), default);
        Assert.Equal(new SaslStep.Success("tim", null), VerdictFree.Of(step));
    }

    [Fact]
    public async Task Rfc4616_example_with_a_foreign_authzid_is_denied_by_default()
    {
        var step = await new PlainMechanism(_credentials).StartAsync(Bytes("Ursel\0Kurt\0xipj3plmq"), default);
        Assert.Equal(new SaslStep.Failure(SaslFailureReason.AuthorizationDenied, "Kurt"), step);
    }

    [Fact]
    public async Task Rfc4616_example_with_authzid_succeeds_when_the_policy_allows_it()
    {
        var mechanism = new PlainMechanism(_credentials, (user, requested) => user == "Kurt" && requested == "Ursel");
        var step = await mechanism.StartAsync(Bytes("Ursel\0Kurt\0xipj3plmq"), default);
        Assert.Equal(new SaslStep.Success("Ursel", null), VerdictFree.Of(step));
    }

    [Fact]
    public async Task Authzid_equal_to_the_user_is_allowed()
    {
        var step = await new PlainMechanism(_credentials).StartAsync(Bytes("tim\0tim\0tanstaaftanstaaf"), default);
        Assert.Equal(new SaslStep.Success("tim", null), VerdictFree.Of(step));
    }

    [Fact]
    public async Task Canonical_user_name_comes_from_the_verifier()
    {
        var step = await new PlainMechanism(_credentials).StartAsync(Bytes("\0TIM\0tanstaaftanstaaf"), default);
        Assert.Equal(new SaslStep.Success("tim", null), VerdictFree.Of(step));
    }

    [Fact]
    public async Task Without_initial_response_an_empty_challenge_comes_first()
    {
        var mechanism = new PlainMechanism(_credentials);
        var first = await mechanism.StartAsync(null, default);
        var challenge = Assert.IsType<SaslStep.Challenge>(first);
        Assert.Empty(challenge.Data);
        Assert.IsType<SaslStep.Success>(await mechanism.StepAsync(Bytes("\0tim\0tanstaaftanstaaf"), default));
    }

    [Fact]
    public async Task Wrong_password_is_bad_credentials_naming_the_user()
    {
        var step = await new PlainMechanism(_credentials).StartAsync(Bytes("\0tim\0wrong"), default);
        Assert.Equal(new SaslStep.Failure(SaslFailureReason.BadCredentials, "tim"), step);
    }

    [Theory]
    [InlineData(SaslPasswordOutcome.TooSoon, SaslFailureReason.TooSoon)]
    [InlineData(SaslPasswordOutcome.TemporaryFailure, SaslFailureReason.TemporaryFailure)]
    public async Task Verifier_outcomes_pass_through(SaslPasswordOutcome outcome, SaslFailureReason expected)
    {
        _credentials.ForcedOutcome = outcome;
        var step = await new PlainMechanism(_credentials).StartAsync(Bytes("\0tim\0tanstaaftanstaaf"), default);
        Assert.Equal(new SaslStep.Failure(expected, "tim"), VerdictFree.Of(step));
        if (outcome == SaslPasswordOutcome.TooSoon)
        {
            // The retry time travels back with the exchange, not through a cache on the verifier.
            Assert.Equal(SaslPasswordOutcome.TooSoon, Assert.IsType<SaslStep.Failure>(step).Verdict?.Outcome);
        }
    }

    [Theory]
    [InlineData("tim")]
    [InlineData("\0tim")]
    [InlineData("\0tim\0")]
    [InlineData("\0\0secret")]
    [InlineData("\0tim\0sec\0ret")]
    [InlineData("")]
    public async Task Malformed_messages_fail_without_asking_the_verifier(string message)
    {
        var step = await new PlainMechanism(_credentials).StartAsync(Bytes(message), default);
        Assert.Equal(new SaslStep.Failure(SaslFailureReason.MalformedResponse, null), step);
        Assert.Empty(_credentials.Lookups);
    }

    [Fact]
    public async Task Invalid_utf8_is_malformed()
    {
        var step = await new PlainMechanism(_credentials).StartAsync([0, 0xC3, 0x28, 0, 0x41], default);
        Assert.Equal(SaslFailureReason.MalformedResponse, Assert.IsType<SaslStep.Failure>(step).Reason);
    }

    [Fact]
    public async Task Utf8_user_and_password_reach_the_verifier_intact()
    {
        _credentials.WithPassword("zoë", "pässwörd");
        var step = await new PlainMechanism(_credentials).StartAsync(Bytes("\0zoë\0pässwörd"), default);
        Assert.Equal(new SaslStep.Success("zoë", null), VerdictFree.Of(step));
    }

    [Fact]
    public async Task After_the_end_every_step_is_exchange_over()
    {
        var mechanism = new PlainMechanism(_credentials);
        await mechanism.StartAsync(Bytes("\0tim\0wrong"), default);
        var step = await mechanism.StepAsync(Bytes("\0tim\0tanstaaftanstaaf"), default);
        Assert.Equal(SaslFailureReason.ExchangeOver, Assert.IsType<SaslStep.Failure>(step).Reason);
        Assert.Equal(SaslFailureReason.ExchangeOver,
            Assert.IsType<SaslStep.Failure>(await mechanism.StartAsync(null, default)).Reason);
    }

    private static byte[] Bytes(string text) => Encoding.UTF8.GetBytes(text);
}
