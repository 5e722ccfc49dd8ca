using Postino.Fetch.Destinations;
using Postino.Fetch.Pop3;
using Postino.Fetch.Protocol;

namespace Postino.Fetch.Fetching;

/// <summary>Which protocol an account speaks.</summary>
public enum MailProtocol
{
    Pop3,
    Pop2,
}

/// <summary>What happens to messages on the server once they are safely stored.</summary>
public enum FetchMode
{
    /// <summary>Leave them; the state file remembers what was downloaded.</summary>
    Keep,

    /// <summary>Delete them (DELE / ACKD) once durable at the destination; QUIT commits.</summary>
    Delete,

    /// <summary>Keep them, but delete those first downloaded more than <see cref="FetchAccount.KeepDays"/> days ago.</summary>
    KeepDays,
}

/// <summary>One mailbox to fetch from and where its mail goes.</summary>
public sealed record FetchAccount
{
    /// <summary>How the account is named in messages, e.g. <c>alice@pop.example.org</c>.</summary>
    public required string Name { get; init; }

    public MailProtocol Protocol { get; init; } = MailProtocol.Pop3;

    public required string Host { get; init; }

    public required int Port { get; init; }

    public TlsMode Tls { get; init; } = TlsMode.None;

    public TlsOptions TlsOptions { get; init; } = new();

    public required string User { get; init; }

    /// <summary>Supplies the password when it is needed (from a file, stdin, a command); never logged.</summary>
    public required Func<CancellationToken, Task<string>> Password { get; init; }

    public Pop3AuthMethod AuthMethod { get; init; } = Pop3AuthMethod.Auto;

    public FetchMode Mode { get; init; } = FetchMode.Keep;

    /// <summary>For <see cref="FetchMode.KeepDays"/>.</summary>
    public int KeepDays { get; init; }

    /// <summary>Download again what was already downloaded.</summary>
    public bool All { get; init; }

    /// <summary>Messages larger than this many octets are skipped and reported.</summary>
    public long? MaxSize { get; init; }

    /// <summary>At most this many messages are downloaded per run.</summary>
    public int? Limit { get; init; }

    /// <summary>POP2 mailbox to select with FOLD, or null for the default one.</summary>
    public string? Pop2Folder { get; init; }

    /// <summary>The per-account state file.</summary>
    public required string StatePath { get; init; }

    public required IMessageDestination Destination { get; init; }
}
