using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using Postino.Protocols.Sasl;
using Postino.Server.Auth;
using Postino.Server.Security;
using Postino.Server.Tests.Security;
using Postino.Storage.Users;
using Postino.Storage.Users.Schemes;

namespace Postino.Server.Tests.Auth;

public sealed class SaslAdapterTests
{
    private static readonly IPAddress Client = IPAddress.Parse("198.51.100.77");
    private readonly SignallingTimeProvider time = new();
    private readonly InMemoryUserDirectory users = new(
        UserRecord.Create("demo", "{PLAIN}secret"),
        UserRecord.Create("slow", "{PLAIN}secret").WithExtra(UserSettings.LoginDelayKey, "60"));

    private readonly LoginPolicy policy;
    private readonly SaslLoginFinisher finisher;
    private readonly SaslPasswordVerifier verifier;

    public SaslAdapterTests()
    {
        policy = new LoginPolicy(
            new LoginPenalty(new LoginPenaltyOptions(), time),
            new LoginDelayTracker(new LoginDelayOptions(), time));
        finisher = new SaslLoginFinisher(users, policy);
        var authenticator = new PasswordAuthenticator(
            users,
            new PasswordVerifier(new PasswordSchemeRegistry([new CountingScheme(), new PlainScheme()]), 1),
            policy,
            NullLogger<PasswordAuthenticator>.Instance);
        verifier = new SaslPasswordVerifier(authenticator, Client);
    }

    [Fact]
    public async Task Plain_and_login_verdicts_come_from_the_authenticator()
    {
        var verdict = await verifier.VerifyAsync("demo", "secret", CancellationToken.None);
        Assert.Equal(new SaslPasswordVerdict(SaslPasswordOutcome.Success, "demo"), verdict);

        var wrong = verifier.VerifyAsync("demo", "nope", CancellationToken.None).AsTask();
        await time.TimerCreated;
        time.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal(SaslPasswordOutcome.BadCredentials, (await wrong).Outcome);
    }

    [Fact]
    public async Task A_self_verified_success_meets_login_delay()
    {
        var step = new SaslStep.Success("slow", null);
        Assert.Equal(AuthenticationOutcome.Success, (await finisher.FinishAsync("SCRAM-SHA-256", step, Client, CancellationToken.None))!.Outcome);
        Assert.Equal(AuthenticationOutcome.TooSoon, (await finisher.FinishAsync("CRAM-MD5", step, Client, CancellationToken.None))!.Outcome);
        Assert.Equal(AuthenticationOutcome.TooSoon, (await finisher.AcceptAsync("slow", Client, CancellationToken.None)).Outcome);
    }

    [Fact]
    public async Task A_self_verified_failure_costs_the_penalty()
    {
        var finishing = finisher.FinishAsync(
            "CRAM-MD5", new SaslStep.Failure(SaslFailureReason.BadCredentials, "demo"), Client, CancellationToken.None).AsTask();
        await time.TimerCreated;
        Assert.False(finishing.IsCompleted);
        time.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal(AuthenticationOutcome.BadCredentials, (await finishing)!.Outcome);
    }

    [Fact]
    public async Task Plain_results_are_only_translated()
    {
        var success = await finisher.FinishAsync("PLAIN", new SaslStep.Success("demo", null), Client, CancellationToken.None);
        Assert.Equal(new AuthenticationResult(AuthenticationOutcome.Success, "demo"), success);

        var failure = await finisher.FinishAsync(
            "LOGIN", new SaslStep.Failure(SaslFailureReason.BadCredentials, "demo"), Client, CancellationToken.None);
        Assert.Equal(AuthenticationOutcome.BadCredentials, failure!.Outcome);
        Assert.False(time.TimerCreated.IsCompleted);

        Assert.Null(await finisher.FinishAsync("PLAIN", new SaslStep.Challenge([]), Client, CancellationToken.None));
    }
}
