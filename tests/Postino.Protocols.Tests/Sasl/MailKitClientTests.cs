using System.Net;
using System.Text;
using MailKit.Security;
using Postino.Protocols.Sasl;

namespace Postino.Protocols.Tests.Sasl;

/// <summary>MailKit's client mechanisms against ours, exchanging the exact base64 lines a POP3 session would carry.</summary>
public class MailKitClientTests
{
    private readonly FakeCredentials _credentials = new FakeCredentials()
        .WithPassword("tim", "tanstaaf tanstaaf")
        .WithPassword("zoë", "pässwörd")
        .WithScram(ScramCredential.Derive("user", "pencil", Convert.FromBase64String("W22ZaJ0SNY7soEsUEjb6gQ=="), 4096))
        .WithScram(ScramCredential.Derive("zoë", "pässwörd", [1, 2, 3, 4, 5, 6, 7, 8], 4096));

    public static TheoryData<string, string, string> GoodLogins => new()
    {
        { SaslMechanismNames.Plain, "tim", "tanstaaf tanstaaf" },
        { SaslMechanismNames.Plain, "zoë", "pässwörd" },
        { SaslMechanismNames.Login, "tim", "tanstaaf tanstaaf" },
        { SaslMechanismNames.CramMd5, "tim", "tanstaaf tanstaaf" },
        { SaslMechanismNames.ScramSha256, "user", "pencil" },
        { SaslMechanismNames.ScramSha256, "zoë", "pässwörd" },
    };

    [Theory]
    [MemberData(nameof(GoodLogins))]
    public async Task MailKit_logs_in(string name, string user, string password)
    {
        var client = ClientMechanism(name, user, password);
        var (reply, _) = await RunAsync(name, client);
        Assert.Equal(new SaslExchangeReply.Succeeded(user), VerdictFree.Of(reply));
        // Only the password mechanisms carry the verifier's verdict back; the others verify themselves.
        Assert.Equal(name is "PLAIN" or "LOGIN" ? SaslPasswordOutcome.Success : null, Assert.IsType<SaslExchangeReply.Succeeded>(reply).Verdict?.Outcome);
        Assert.True(client.IsAuthenticated);
    }

    [Theory]
    [InlineData(SaslMechanismNames.Plain)]
    [InlineData(SaslMechanismNames.Login)]
    [InlineData(SaslMechanismNames.CramMd5)]
    [InlineData(SaslMechanismNames.ScramSha256)]
    public async Task MailKit_with_a_wrong_password_is_refused(string name)
    {
        var user = name == SaslMechanismNames.ScramSha256 ? "user" : "tim";
        var (reply, _) = await RunAsync(name, ClientMechanism(name, user, "wrong"));
        Assert.Equal(SaslFailureReason.BadCredentials, Assert.IsType<SaslExchangeReply.Failed>(reply).Reason);
    }

    [Fact]
    public async Task MailKit_scram_verifies_our_server_signature_in_the_last_challenge()
    {
        // Two challenges: server-first, then server-final (v=...), which MailKit checks before its empty acknowledgement.
        var client = new SaslMechanismScramSha256(new NetworkCredential("user", "pencil"));
        var (_, rounds) = await RunAsync(SaslMechanismNames.ScramSha256, client);
        Assert.Equal(2, rounds);
        Assert.True(client.IsAuthenticated);
    }

    private static SaslMechanism ClientMechanism(string name, string user, string password)
    {
        var credential = new NetworkCredential(user, password);
        return name switch
        {
            SaslMechanismNames.Plain => new SaslMechanismPlain(credential),
            SaslMechanismNames.Login => new SaslMechanismLogin(credential),
            SaslMechanismNames.CramMd5 => new SaslMechanismCramMd5(credential),
            _ => new SaslMechanismScramSha256(credential),
        };
    }

    private async Task<(SaslExchangeReply Reply, int Rounds)> RunAsync(string name, SaslMechanism client)
    {
        var factory = new SaslMechanismFactory("mail.example", _credentials, _credentials);
        var mechanism = factory.Create(name, new SaslConnection(_credentials, PlaintextAllowed: true))!;
        var exchange = new SaslExchange(mechanism);
        var initial = client.SupportsInitialResponse ? client.Challenge(null, CancellationToken.None) : null;
        var reply = await exchange.StartAsync(initial, default);
        var rounds = 0;
        while (reply is SaslExchangeReply.Continue next)
        {
            rounds++;
            string line;
            try
            {
                line = client.Challenge(next.Base64, CancellationToken.None);
            }
            catch (SaslException)
            {
                line = "*";
            }

            reply = await exchange.ContinueAsync(Encoding.ASCII.GetBytes(line), default);
        }

        return (reply, rounds);
    }
}
