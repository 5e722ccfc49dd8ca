namespace Postino.Fetch.Fetching;

/// <summary>How an account's fetch ended.</summary>
public enum FetchOutcome
{
    Success,

    /// <summary>Network trouble, <c>[IN-USE]</c>, <c>[SYS/TEMP]</c>: try again later.</summary>
    TemporaryFailure,

    /// <summary><c>[LOGIN-DELAY]</c>: the server wants a pause before the next login.</summary>
    LoginDelay,

    /// <summary><c>[AUTH]</c> or a refused login: fix the credentials.</summary>
    AuthenticationFailed,

    /// <summary><c>[SYS/PERM]</c> or another refusal retrying will not fix.</summary>
    PermanentFailure,

    /// <summary>The TLS handshake failed or STLS is not offered.</summary>
    TlsFailure,

    /// <summary>The destination refused or failed (disk full, MDA exit code, LMTP refusal).</summary>
    DestinationFailure,

    /// <summary>The state file is locked by another fetch or damaged.</summary>
    StateFailure,
}

/// <summary>A message left on the server because of <c>--max-size</c>, or refused because the server sent more than it announced.</summary>
public sealed record SkippedMessage(int Msn, long Size, string Summary);

/// <summary>What one account's fetch did.</summary>
public sealed record FetchResult
{
    public required string Account { get; init; }

    public FetchOutcome Outcome { get; init; }

    /// <summary>Why it failed, in words for the user; empty on success.</summary>
    public string Message { get; init; } = string.Empty;

    public int Downloaded { get; init; }

    public long Octets { get; init; }

    public int Deleted { get; init; }

    /// <summary>Messages on the server that an earlier run already downloaded.</summary>
    public int AlreadyDownloaded { get; init; }

    /// <summary>New messages left for a later run by <c>--limit</c>.</summary>
    public int LeftForLater { get; init; }

    public IReadOnlyList<SkippedMessage> Skipped { get; init; } = [];

    /// <summary>Messages not stored because the server sent more than their announced size plus the margin.</summary>
    public IReadOnlyList<SkippedMessage> Refused { get; init; } = [];

    /// <summary>When the server asks for a pause (LOGIN-DELAY), the earliest useful next attempt.</summary>
    public TimeSpan? RetryAfter { get; init; }
}
