namespace Postino.Server.Security;

/// <summary>How failed logins slow down the remote address that made them.</summary>
public sealed class LoginPenaltyOptions
{
    /// <summary>The delay after the first failure; each further distinct failure doubles it.</summary>
    public TimeSpan InitialDelay { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>The most a failure is delayed.</summary>
    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>An address with no failure for this long starts afresh.</summary>
    public TimeSpan ForgetAfter { get; init; } = TimeSpan.FromMinutes(15);

    /// <summary>How many recent failed (user, password) fingerprints are kept per address to spot plain retries.</summary>
    public int RecentAttemptsRemembered { get; init; } = 8;

    /// <summary>Addresses tracked at most; beyond it the stalest are forgotten (bounds memory under a spray).</summary>
    public int MaxTrackedAddresses { get; init; } = 100_000;
}
