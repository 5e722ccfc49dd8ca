using System.Net;
using Postino.Server.Auth;

namespace Postino.Server.Tests.Pop2.Fakes;

/// <summary>Accepts the users it was given; records every attempt (without judging the penalty, which is not ours).</summary>
public sealed class FakePasswordAuthenticator : IPasswordAuthenticator
{
    private readonly Dictionary<string, string> _passwords = new(StringComparer.Ordinal);

    public List<(string User, string Password, IPAddress Remote)> Attempts { get; } = [];

    /// <summary>When set, every attempt gets this outcome.</summary>
    public AuthenticationOutcome? ForcedOutcome { get; set; }

    public void AddUser(string user, string password) => _passwords[user] = password;

    public ValueTask<AuthenticationResult> AuthenticateAsync(
        string user,
        string password,
        IPAddress remoteAddress,
        CancellationToken cancellationToken)
    {
        Attempts.Add((user, password, remoteAddress));
        if (ForcedOutcome is { } forced)
        {
            return ValueTask.FromResult(new AuthenticationResult(forced, forced == AuthenticationOutcome.Success ? user : null));
        }

        var ok = _passwords.TryGetValue(user, out var expected) && expected == password;
        return ValueTask.FromResult(ok
            ? new AuthenticationResult(AuthenticationOutcome.Success, user)
            : new AuthenticationResult(AuthenticationOutcome.BadCredentials));
    }
}
