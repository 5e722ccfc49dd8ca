using Postino.Fetch.Fetching;

namespace Postino.Cli.Fetch;

/// <summary>What the command line of <c>postino fetch</c> asked for, before accounts are built.</summary>
internal sealed record FetchSettings
{
    public string? Url { get; init; }

    public string? AccountsPath { get; init; }

    public bool PasswordStdin { get; init; }

    public string? PasswordFile { get; init; }

    /// <summary>Null when no mode flag was given (the config file's, or keep).</summary>
    public FetchMode? Mode { get; init; }

    public int KeepDays { get; init; }

    public string? Destination { get; init; }

    public bool StartTls { get; init; }

    /// <summary><c>--no-tls</c>: stay in plain text even when the server offers STLS.</summary>
    public bool NoTls { get; init; }

    public bool Insecure { get; init; }

    public string? Fingerprint { get; init; }

    public string? StatePath { get; init; }

    public bool All { get; init; }

    public long? MaxSize { get; init; }

    public int? Limit { get; init; }

    public bool Verbose { get; init; }

    public bool Daemon { get; init; }

    public int? IntervalSeconds { get; init; }
}
