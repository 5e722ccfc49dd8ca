using Postino.Storage.Retention;

namespace Postino.Storage;

/// <summary>
/// The retention a session's maildrop carries: asked once, when the maildrop opens. Its commit enforces
/// <c>delete-on-retrieve</c> from it, and the protocol layer reads it back from <see cref="IMaildrop.Retention"/>
/// (POP3's EXPIRE after login) instead of asking again.
/// </summary>
public interface IRetentionAtCommit
{
    ValueTask<EffectiveRetention> ResolveAsync(string user, CancellationToken cancellationToken);
}
