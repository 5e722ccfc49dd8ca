using System.Net;
using Postino.Server.Auth;
using Postino.Storage.Users;

namespace Postino.Server.Tests.Sasl;

/// <summary>A login policy that answers at once and remembers what it was asked.</summary>
internal sealed class RecordingLoginPolicy : ILoginPolicy
{
    public List<(string User, string? Password)> Rejected { get; } = [];

    public List<string> Accepted { get; } = [];

    public bool TooSoon { get; set; }

    public ValueTask<AuthenticationResult> RejectAsync(IPAddress remoteAddress, string user, string? attemptedPassword, CancellationToken cancellationToken)
    {
        Rejected.Add((user, attemptedPassword));
        return ValueTask.FromResult(new AuthenticationResult(AuthenticationOutcome.BadCredentials));
    }

    public AuthenticationResult Accept(IPAddress remoteAddress, UserRecord user)
    {
        Accepted.Add(user.Name);
        return TooSoon
            ? new AuthenticationResult(AuthenticationOutcome.TooSoon, user.Name) { LoginDelay = TimeSpan.FromSeconds(30), RetryAfter = TimeSpan.FromSeconds(12) }
            : new AuthenticationResult(AuthenticationOutcome.Success, user.Name) { LoginDelay = TimeSpan.FromSeconds(30) };
    }
}
