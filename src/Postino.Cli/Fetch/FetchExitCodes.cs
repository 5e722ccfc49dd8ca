using Postino.Fetch.Fetching;

namespace Postino.Cli.Fetch;

/// <summary>
/// Exit codes of <c>postino fetch</c>, for scripts and cron. With several accounts the highest code wins.
/// </summary>
internal static class FetchExitCodes
{
    /// <summary>Every account fetched.</summary>
    public const int Success = 0;

    /// <summary>A temporary failure (network, [IN-USE], [SYS/TEMP], [LOGIN-DELAY]): nothing lost, try again later.</summary>
    public const int Temporary = 1;

    /// <summary>Bad command line or configuration file.</summary>
    public const int Usage = 2;

    /// <summary>Login refused ([AUTH]) or a permanent server refusal ([SYS/PERM]): fix the account.</summary>
    public const int Refused = 3;

    /// <summary>TLS failed: untrusted certificate, wrong pinned fingerprint, or STLS not offered.</summary>
    public const int Tls = 4;

    /// <summary>Local trouble: the destination failed (disk, MDA exit code, LMTP refusal) or the state file is locked or damaged.</summary>
    public const int Local = 5;

    public const string Help =
        "Exit codes: 0 all fetched; 1 temporary failure, try later; 2 usage or config error; "
        + "3 login refused or permanent server error; 4 TLS/certificate failure; 5 destination or state file failure.";

    public static int For(FetchOutcome outcome) => outcome switch
    {
        FetchOutcome.Success => Success,
        FetchOutcome.TemporaryFailure or FetchOutcome.LoginDelay => Temporary,
        FetchOutcome.AuthenticationFailed or FetchOutcome.PermanentFailure => Refused,
        FetchOutcome.TlsFailure => Tls,
        _ => Local,
    };
}
