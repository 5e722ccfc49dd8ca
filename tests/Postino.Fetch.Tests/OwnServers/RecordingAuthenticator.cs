using System.Net;
using Postino.Server.Auth;

namespace Postino.Fetch.Tests.OwnServers;

/// <summary>Accepts the users it was given and records every attempt, so a test sees what the client really sent.</summary>
internal sealed class RecordingAuthenticator : IPasswordAuthenticator
{
    private readonly Dictionary<string, string> _passwords = new(StringComparer.Ordinal);
    private readonly List<(string User, string Password)> _attempts = [];

    public IReadOnlyList<(string User, string Password)> Attempts
    {
        get
        {
            lock (_attempts)
            {
                return [.. _attempts];
            }
        }
    }

    public void AddUser(string user, string password)
    {
        lock (_attempts)
        {
            _passwords[user] = password;
        }
    }

    public ValueTask<AuthenticationResult> AuthenticateAsync(string user, string password, IPAddress remoteAddress,
        CancellationToken cancellationToken)
    {
        lock (_attempts)
        {
            _attempts.Add((user, password));
            return ValueTask.FromResult(_passwords.TryGetValue(user, out var expected) && expected == password
                ? new AuthenticationResult(AuthenticationOutcome.Success, user)
                : new AuthenticationResult(AuthenticationOutcome.BadCredentials));
        }
    }
}
