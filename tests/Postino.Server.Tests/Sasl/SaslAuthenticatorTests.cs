using System.Net;
using MailKit.Security;
using Microsoft.Extensions.Logging.Abstractions;
using Postino.Protocols.Sasl;
using Postino.Server.Auth;
using Postino.Server.Sasl;
using Postino.Server.Tests.Auth;
using Postino.Storage.Users;
using Postino.Storage.Users.Schemes;

namespace Postino.Server.Tests.Sasl;

/// <summary>MailKit's client mechanisms through the server's SASL wiring down to the login policy.</summary>
public sealed class SaslAuthenticatorTests
{
    private static readonly IPAddress Client = IPAddress.Parse("203.0.113.9");

    private readonly RecordingLoginPolicy _policy = new();
    private readonly MemoryUserDirectory _users = new(
        UserRecord.Create("tim", "{PLAIN}tanstaaf tanstaaf"),
        UserRecord.Create("zoë", "{SCRAM-SHA-256}" + ScramSha256Credentials.Create("pässwörd").Encode()),
        UserRecord.Create("hashed", "{SSHA512}" + new Ssha512Scheme().Hash("secret").Split('}')[^1]));

    private readonly SaslConnectionAuthenticator _connection;

    public SaslAuthenticatorTests()
    {
        var schemes = new PasswordSchemeRegistry([new PlainScheme(), new Ssha512Scheme(), new ScramSha256Scheme()]);
        var passwords = new PasswordAuthenticator(_users, new PasswordVerifier(schemes, 2), _policy, NullLogger<PasswordAuthenticator>.Instance);
        var lookup = new SecretLookup(_users);
        _connection = new SaslAuthenticator("mail.example", passwords, lookup, lookup, _policy, _users).ForConnection(Client);
    }

    [Fact]
    public void Plaintext_mechanisms_are_listed_only_where_allowed()
    {
        Assert.Equal(["SCRAM-SHA-256", "CRAM-MD5"], _connection.Available(plaintextAllowed: false, null));
        Assert.Equal(["SCRAM-SHA-256-PLUS", "SCRAM-SHA-256", "CRAM-MD5", "PLAIN", "LOGIN"], _connection.Available(true, new byte[32]));
        Assert.Null(_connection.Begin("PLAIN", plaintextAllowed: false, null));
    }

    [Theory]
    [InlineData("SCRAM-SHA-256", "zoë", "pässwörd")]
    [InlineData("SCRAM-SHA-256", "tim", "tanstaaf tanstaaf")]
    [InlineData("CRAM-MD5", "tim", "tanstaaf tanstaaf")]
    [InlineData("PLAIN", "hashed", "secret")]
    [InlineData("LOGIN", "zoë", "pässwörd")]
    public async Task Good_logins_pass_the_policy_exactly_once(string mechanism, string user, string password)
    {
        var result = await LoginAsync(mechanism, user, password);
        Assert.Equal(AuthenticationOutcome.Success, result.Outcome);
        Assert.Equal(user, result.User);
        Assert.Equal(TimeSpan.FromSeconds(30), result.LoginDelay);
        Assert.Equal([user], _policy.Accepted);
        Assert.Empty(_policy.Rejected);
    }

    [Theory]
    [InlineData("SCRAM-SHA-256", "zoë")]
    [InlineData("SCRAM-SHA-256", "nobody")]
    [InlineData("CRAM-MD5", "tim")]
    [InlineData("CRAM-MD5", "hashed")]
    [InlineData("PLAIN", "tim")]
    public async Task Bad_logins_cost_the_penalty_exactly_once(string mechanism, string user)
    {
        var result = await LoginAsync(mechanism, user, "wrong");
        Assert.Equal(AuthenticationOutcome.BadCredentials, result.Outcome);
        Assert.Equal(user, Assert.Single(_policy.Rejected).User);
        Assert.Empty(_policy.Accepted);
    }

    [Theory]
    [InlineData("SCRAM-SHA-256", "zoë", "pässwörd")]
    [InlineData("PLAIN", "tim", "tanstaaf tanstaaf")]
    public async Task Login_delay_refusal_carries_the_retry_time(string mechanism, string user, string password)
    {
        _policy.TooSoon = true;
        var result = await LoginAsync(mechanism, user, password);
        Assert.Equal(AuthenticationOutcome.TooSoon, result.Outcome);
        Assert.Equal(TimeSpan.FromSeconds(12), result.RetryAfter);
    }

    [Fact]
    public async Task Cancelled_exchange_costs_nothing()
    {
        var exchange = _connection.Begin("SCRAM-SHA-256", true, null)!;
        await exchange.StartAsync(null, default);
        var reply = await exchange.ContinueAsync("*", default);
        var result = await _connection.CompleteAsync(exchange, reply, default);
        Assert.Equal(AuthenticationOutcome.BadCredentials, result.Outcome);
        Assert.Empty(_policy.Rejected);
    }

    [Fact]
    public async Task Unreadable_directory_after_a_good_proof_is_a_temporary_failure()
    {
        var exchange = _connection.Begin("SCRAM-SHA-256", true, null)!;
        var client = new SaslMechanismScramSha256(new NetworkCredential("zoë", "pässwörd"));
        var reply = await exchange.StartAsync(client.Challenge(null, CancellationToken.None), default);
        reply = await exchange.ContinueAsync(client.Challenge(((SaslExchangeReply.Continue)reply).Base64, CancellationToken.None), default);
        reply = await exchange.ContinueAsync(client.Challenge(((SaslExchangeReply.Continue)reply).Base64, CancellationToken.None), default);
        _users.Failure = new UsersFileException("unreadable");
        Assert.Equal(AuthenticationOutcome.TemporaryFailure, (await _connection.CompleteAsync(exchange, reply, default)).Outcome);
    }

    private async Task<AuthenticationResult> LoginAsync(string mechanism, string user, string password)
    {
        var credential = new NetworkCredential(user, password);
        SaslMechanism client = mechanism switch
        {
            "PLAIN" => new SaslMechanismPlain(credential),
            "LOGIN" => new SaslMechanismLogin(credential),
            "CRAM-MD5" => new SaslMechanismCramMd5(credential),
            _ => new SaslMechanismScramSha256(credential),
        };
        var exchange = _connection.Begin(mechanism, plaintextAllowed: true, null)!;
        var reply = await exchange.StartAsync(client.SupportsInitialResponse ? client.Challenge(null, CancellationToken.None) : null, default);
        while (reply is SaslExchangeReply.Continue next)
        {
            string line;
            try
            {
                line = client.Challenge(next.Base64, CancellationToken.None);
            }
            catch (SaslException)
            {
                line = "*";
            }

            reply = await exchange.ContinueAsync(line, default);
        }

        return await _connection.CompleteAsync(exchange, reply, default);
    }
}
