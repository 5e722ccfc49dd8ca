namespace Postino.Storage;

/// <summary>
/// The part of a retention policy a session's commit enforces: whether messages retrieved whole in the session are
/// deleted at QUIT (<c>delete-on-retrieve</c>). Asked once, when the maildrop opens.
/// </summary>
public interface IRetentionAtCommit
{
    ValueTask<bool> DeletesRetrievedAsync(string user, CancellationToken cancellationToken);
}
