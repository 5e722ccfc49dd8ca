using Microsoft.Extensions.Logging;

namespace Postino.Server.Pop3;

/// <summary>The POP3 log lines. Passwords never reach any of them.</summary>
internal static partial class Pop3Log
{
    [LoggerMessage(
        EventId = 1,
        Level = LogLevel.Information,
        Message = "pop3 logout: user={User} remote={Remote} tls={Tls} retr={RetrCount}/{RetrBytes} top={TopCount}/{TopBytes} dele={DeleCount} end={End}")]
    public static partial void SessionEnded(
        ILogger logger,
        string user,
        string remote,
        string tls,
        int retrCount,
        long retrBytes,
        int topCount,
        long topBytes,
        int deleCount,
        Pop3SessionEnd end);

    [LoggerMessage(EventId = 2, Level = LogLevel.Error, Message = "pop3 session failed: remote={Remote} user={User}")]
    public static partial void SessionFailed(ILogger logger, Exception exception, string remote, string user);

    [LoggerMessage(EventId = 3, Level = LogLevel.Warning, Message = "pop3: cannot open the maildrop of {User}")]
    public static partial void MaildropOpenFailed(ILogger logger, Exception exception, string user);

    [LoggerMessage(EventId = 4, Level = LogLevel.Warning, Message = "pop3: commit failed for {User}")]
    public static partial void CommitFailed(ILogger logger, Exception exception, string user);

    [LoggerMessage(EventId = 5, Level = LogLevel.Warning, Message = "pop3: cannot read message {Msn} of {User}")]
    public static partial void MessageReadFailed(ILogger logger, Exception exception, int msn, string user);

    [LoggerMessage(EventId = 6, Level = LogLevel.Warning, Message = "pop3: closing the maildrop of {User} failed")]
    public static partial void MaildropCloseFailed(ILogger logger, Exception exception, string user);

    [LoggerMessage(EventId = 7, Level = LogLevel.Information, Message = "pop3: transport upgrade failed: remote={Remote}")]
    public static partial void UpgradeFailed(ILogger logger, Exception exception, string remote);
}
