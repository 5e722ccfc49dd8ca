namespace Postino.Storage;

/// <summary>
/// A complete message that can be read more than once (a spool file): a store that writes one copy per recipient
/// (Maildir) reads it once per recipient, one that writes them all in one transaction (PostgreSQL) reads it once.
/// </summary>
public interface IMessageSource
{
    /// <summary>A fresh stream over the whole message, from the start. Dispose it before opening the next.</summary>
    ValueTask<Stream> OpenReadAsync(CancellationToken cancellationToken);
}
