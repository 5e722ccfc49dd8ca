using System.Text;
using Postino.Protocols.Sasl;

namespace Postino.Protocols.Tests.Sasl;

public class SaslExchangeTests
{
    private static readonly byte[] Salt = Convert.FromBase64String("W22ZaJ0SNY7soEsUEjb6gQ==");

    private readonly FakeCredentials _credentials = new FakeCredentials()
        .WithPassword("tim", "tanstaaftanstaaf")
        .WithScram(ScramCredential.Derive("user", "pencil", Salt, 4096));

    [Fact]
    public async Task Plain_with_initial_response_succeeds_at_once()
    {
        var exchange = new SaslExchange(new PlainMechanism(_credentials));
        var reply = await exchange.StartAsync("AHRpbQB0YW5zdGFhZnRhbnN0YWFm", default);
        Assert.Equal(new SaslExchangeReply.Succeeded("tim"), VerdictFree.Of(reply));
        Assert.True(exchange.IsOver);
    }

    [Fact]
    public async Task Equals_initial_response_is_empty_and_plain_then_fails_malformed()
    {
        var exchange = new SaslExchange(new PlainMechanism(_credentials));
        var reply = await exchange.StartAsync("=", default);
        Assert.Equal(new SaslExchangeReply.Failed(SaslFailureReason.MalformedResponse, null), reply);
    }

    [Fact]
    public async Task Malformed_initial_response_fails_without_running_the_mechanism()
    {
        var exchange = new SaslExchange(new PlainMechanism(_credentials));
        Assert.Equal(new SaslExchangeReply.Failed(SaslFailureReason.MalformedResponse, null),
            await exchange.StartAsync("AHRpbQ!!", default));
        Assert.Empty(_credentials.Lookups);
    }

    [Fact]
    public async Task Empty_challenge_then_response_line()
    {
        var exchange = new SaslExchange(new PlainMechanism(_credentials));
        Assert.Equal(new SaslExchangeReply.Continue(""), await exchange.StartAsync(null, default));
        Assert.Equal(new SaslExchangeReply.Succeeded("tim"), VerdictFree.Of(await exchange.ContinueAsync(Ascii("AHRpbQB0YW5zdGFhZnRhbnN0YWFm\r\n"), default)));
    }

    [Fact]
    public async Task Star_cancels_mid_exchange()
    {
        var exchange = new SaslExchange(new LoginMechanism(_credentials));
        Assert.Equal(new SaslExchangeReply.Continue("VXNlcm5hbWU6"), await exchange.StartAsync(null, default));
        Assert.Equal(new SaslExchangeReply.Failed(SaslFailureReason.Cancelled, null), await exchange.ContinueAsync(Ascii("*"), default));
        Assert.True(exchange.IsOver);
        Assert.Empty(_credentials.Lookups);
    }

    [Fact]
    public async Task Malformed_line_mid_exchange_fails_the_exchange()
    {
        var exchange = new SaslExchange(new LoginMechanism(_credentials));
        await exchange.StartAsync(null, default);
        Assert.Equal(new SaslExchangeReply.Failed(SaslFailureReason.MalformedResponse, null),
            await exchange.ContinueAsync(Ascii("USER tim"), default));
    }

    [Fact]
    public async Task Scram_final_data_is_a_last_challenge_acknowledged_by_an_empty_line()
    {
        var client = new ScramTestClient("user", "pencil");
        var exchange = new SaslExchange(new ScramSha256Mechanism(_credentials));
        var serverFirst = Assert.IsType<SaslExchangeReply.Continue>(
            await exchange.StartAsync(Convert.ToBase64String(client.ClientFirst()), default));
        var final = Assert.IsType<SaslExchangeReply.Continue>(await exchange.ContinueAsync(
            Ascii(Convert.ToBase64String(client.ClientFinal(Convert.FromBase64String(serverFirst.Base64)))), default));
        Assert.True(client.VerifiesServerFinal(Convert.FromBase64String(final.Base64)));
        Assert.False(exchange.IsOver);
        Assert.Equal(new SaslExchangeReply.Succeeded("user"), VerdictFree.Of(await exchange.ContinueAsync(Ascii(""), default)));
    }

    [Theory]
    [InlineData("*", SaslFailureReason.Cancelled)]
    [InlineData("dGlt", SaslFailureReason.MalformedResponse)]
    public async Task Scram_final_acknowledgement_must_be_empty(string line, SaslFailureReason reason)
    {
        var client = new ScramTestClient("user", "pencil");
        var exchange = new SaslExchange(new ScramSha256Mechanism(_credentials));
        var serverFirst = Assert.IsType<SaslExchangeReply.Continue>(
            await exchange.StartAsync(Convert.ToBase64String(client.ClientFirst()), default));
        await exchange.ContinueAsync(Ascii(Convert.ToBase64String(client.ClientFinal(Convert.FromBase64String(serverFirst.Base64)))), default);
        Assert.Equal(new SaslExchangeReply.Failed(reason, "user"), VerdictFree.Of(await exchange.ContinueAsync(Ascii(line), default)));
    }

    [Fact]
    public async Task Nothing_after_the_end()
    {
        var exchange = new SaslExchange(new PlainMechanism(_credentials));
        await exchange.StartAsync("AHRpbQB0YW5zdGFhZnRhbnN0YWFm", default);
        Assert.Equal(SaslFailureReason.ExchangeOver,
            Assert.IsType<SaslExchangeReply.Failed>(await exchange.ContinueAsync(Ascii(""), default)).Reason);
        Assert.Equal(SaslFailureReason.ExchangeOver,
            Assert.IsType<SaslExchangeReply.Failed>(await exchange.StartAsync(null, default)).Reason);
    }

    private static ReadOnlyMemory<byte> Ascii(string text) => Encoding.ASCII.GetBytes(text);
}
