namespace Postino.Storage.Maildir;

/// <summary>One message of a snapshot: what the session sees, and the file it lives in now (its flags may change).</summary>
internal sealed class MaildirMessage(MessageInfo info, string fileName)
{
    public MessageInfo Info { get; set; } = info;

    /// <summary>The file's name in <c>cur/</c>, info included.</summary>
    public string FileName { get; set; } = fileName;

    /// <summary>The store's key (the house name, <see cref="MessageInfo.StorageId"/>): the file's base name, without info.</summary>
    public string StorageId => Info.StorageId;
}
