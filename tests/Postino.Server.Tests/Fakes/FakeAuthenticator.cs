using System.Collections.Concurrent;
using System.Net;
using Postino.Server.Auth;

namespace Postino.Server.Tests.Fakes;

/// <summary>Checks passwords from a dictionary; an outcome can be forced per user.</summary>
public sealed class FakeAuthenticator : IPasswordAuthenticator
{
    public ConcurrentDictionary<string, string> Passwords { get; } = new(StringComparer.Ordinal);

    public ConcurrentDictionary<string, AuthenticationOutcome> ForcedOutcomes { get; } = new(StringComparer.Ordinal);

    /// <summary>Every attempt as (user, password, remote).</summary>
    public ConcurrentQueue<(string User, string Password, IPAddress Remote)> Attempts { get; } = new();

    public ValueTask<AuthenticationResult> AuthenticateAsync(
        string user,
        string password,
        IPAddress remoteAddress,
        CancellationToken cancellationToken)
    {
        Attempts.Enqueue((user, password, remoteAddress));
        if (ForcedOutcomes.TryGetValue(user, out var forced))
        {
            return ValueTask.FromResult(new AuthenticationResult(forced, forced == AuthenticationOutcome.Success ? user : null));
        }

        var ok = Passwords.TryGetValue(user, out var expected) && expected == password;
        return ValueTask.FromResult(ok
            ? new AuthenticationResult(AuthenticationOutcome.Success, user)
            : new AuthenticationResult(AuthenticationOutcome.BadCredentials));
    }
}
