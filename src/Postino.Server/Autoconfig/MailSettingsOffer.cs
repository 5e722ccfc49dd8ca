namespace Postino.Server.Autoconfig;

/// <summary>What autoconfiguration tells mail clients: the public host name, the POP3 ports, and per domain how
/// long the server keeps retrieved mail.</summary>
public sealed class MailSettingsOffer
{
    /// <summary>The name clients connect to (<c>Autoconfig:HostName</c>, else the server's host name).</summary>
    public required string HostName { get; init; }

    /// <summary>POP3 with STLS; null when off.</summary>
    public int? Pop3Port { get; init; }

    /// <summary>POP3S (implicit TLS); null when off.</summary>
    public int? Pop3sPort { get; init; }

    /// <summary>
    /// The submission server clients send through (<c>Autoconfig:Submission</c>; Postino itself does not relay):
    /// Thunderbird's wizard refuses a configuration without an outgoing server. Null: none offered.
    /// </summary>
    public (string Host, int Port)? Submission { get; init; }

    /// <summary>The local domains (from <c>Domains</c> / <c>--domain</c>); other addresses get 404.</summary>
    public required IReadOnlyCollection<string> Domains { get; init; }

    /// <summary>
    /// The retention of a domain for <c>leaveMessagesOnServer</c>: null (the client decides), 0 (deleted once
    /// retrieved) or N (kept N days after retrieval).
    /// </summary>
    public Func<string, int?> KeepDays { get; init; } = _ => null;
}
