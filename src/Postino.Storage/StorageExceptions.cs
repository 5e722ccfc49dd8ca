namespace Postino.Storage;

/// <summary>The store could not do what was asked (disk, permissions, corruption it could not repair).</summary>
public class StorageException : Exception
{
    public StorageException(string message)
        : base(message)
    {
    }

    public StorageException(string message, Exception inner)
        : base(message, inner)
    {
    }

    /// <summary>True when retrying later may succeed (POP3 [SYS/TEMP]); false for [SYS/PERM].</summary>
    public bool IsTemporary { get; init; } = true;
}

/// <summary>Another session holds the mailbox (POP3 [IN-USE]).</summary>
public sealed class MailboxInUseException(string user) : StorageException($"mailbox of {user} is in use");

/// <summary>The named folder does not exist.</summary>
public sealed class MailboxNotFoundException(string user, string folder)
    : StorageException($"folder {folder} of {user} does not exist")
{
    public string Folder { get; } = folder;
}

/// <summary>A delivery would take the mailbox over its quota (LMTP/SMTP 452 4.2.2, deliver exit 75).</summary>
public sealed class QuotaExceededException(string user, string limit)
    : StorageException($"mailbox of {user} is over its {limit} quota")
{
    /// <summary>Which limit: "bytes" or "messages".</summary>
    public string Limit { get; } = limit;
}
