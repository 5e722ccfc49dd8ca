using Postino.Protocols.Smtp;
using Postino.Storage;

namespace Postino.Server.Smtp;

/// <summary>Limits and names shared by the SMTP and LMTP listeners. Every limit has a default.</summary>
public abstract class MailTransferOptions
{
    /// <summary>The name this server gives in its greeting and Received headers.</summary>
    public string HostName { get; set; } = LocalHostName.Default;

    /// <summary>Largest message accepted, in octets (announced as SIZE, enforced while the data streams).</summary>
    public long MaxMessageSize { get; set; } = 50L * 1024 * 1024;

    /// <summary>Longest command line, CRLF included (RFC 5321: 512).</summary>
    public int MaxCommandLineLength { get; set; } = SmtpCommandReader.DefaultMaxLineLength;

    /// <summary>Recipients per message (RFC 5321 asks servers to take at least 100).</summary>
    public int MaxRecipients { get; set; } = 100;

    /// <summary>How long to wait for the next command (RFC 5321 4.5.3.2: at least 5 minutes).</summary>
    public TimeSpan CommandTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How long to wait for each block of message data (RFC 5321 4.5.3.2.6: 3 minutes at least; we give 10).</summary>
    public TimeSpan DataTimeout { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Unknown or malformed commands tolerated before the connection is closed with 421.</summary>
    public int MaxBadCommands { get; set; } = 20;

    /// <summary>
    /// Count an unknown recipient as a bad command and delay its 550 as a failed login is delayed, so that guessing
    /// addresses is as slow as guessing passwords. On for SMTP; off for LMTP, whose MTA checked its recipients.
    /// </summary>
    public abstract bool UnknownRecipientPenalty { get; set; }

    /// <summary>The delay of the first unknown recipient in a session (default: Limits:LoginPenaltyInitial); it doubles
    /// with each further one.</summary>
    public TimeSpan UnknownRecipientDelay { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>The longest unknown-recipient delay (default: Limits:LoginPenaltyMax).</summary>
    public TimeSpan UnknownRecipientMaxDelay { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Where messages wait while they stream in (temporary, delete-on-close files).</summary>
    public string SpoolDirectory { get; set; } = Path.Combine(Path.GetTempPath(), "postino-spool");

    /// <summary>Put a Return-Path header on top of each delivered message.</summary>
    public bool AddReturnPath { get; set; } = true;

    /// <summary>Put a Received header on top of each delivered message.</summary>
    public abstract bool AddReceived { get; set; }
}
