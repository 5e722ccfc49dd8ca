namespace Postino.Cli.Delivery;

/// <summary>The sysexits.h codes MTAs read from a local delivery agent: the contract of <c>postino deliver</c>.</summary>
public static class SysExits
{
    public const int Ok = 0;

    /// <summary>EX_USAGE: the command line was wrong.</summary>
    public const int Usage = 64;

    /// <summary>EX_NOUSER: a recipient does not exist; the MTA bounces.</summary>
    public const int NoUser = 67;

    /// <summary>EX_CANTCREAT: the message could not be stored and will not be by retrying; the MTA bounces.</summary>
    public const int CannotCreate = 73;

    /// <summary>EX_TEMPFAIL: try again later (over quota, disk full, lock); the MTA keeps the message queued.</summary>
    public const int TemporaryFailure = 75;

    /// <summary>
    /// EX_CONFIG: a local configuration error (an unsafe spool folder). MTAs treat it as temporary (Postfix: 4.3.5), so
    /// the mail waits in their queue while the operator fixes it.
    /// </summary>
    public const int Config = 78;
}
