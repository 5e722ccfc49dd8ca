using Microsoft.Extensions.Logging;

namespace Postino.Server.Pop2;

/// <summary>The POP2 log lines. The password never appears in any of them.</summary>
internal static partial class Pop2Log
{
    [LoggerMessage(
        EventId = 2000,
        Level = LogLevel.Information,
        Message = "POP2 session ended: user={User} remote={Remote} folders={Folders} retrieved={Retrieved} deletions-marked={Deleted} end={End}")]
    public static partial void SessionEnded(
        ILogger logger,
        string user,
        string remote,
        string folders,
        int retrieved,
        int deleted,
        Pop2SessionEnd end);

    [LoggerMessage(
        EventId = 2001,
        Level = LogLevel.Error,
        Message = "POP2 RETR of {Folder} message {Msn} of {User}: announced {Announced} octets but the stored message encodes to {Actual}; session closed")]
    public static partial void SizeMismatch(ILogger logger, string user, string folder, int msn, long announced, long actual);

    [LoggerMessage(EventId = 2002, Level = LogLevel.Warning, Message = "POP2 store failure for {User}: {Reason}")]
    public static partial void StoreFailed(ILogger logger, string user, string reason, Exception exception);
}
