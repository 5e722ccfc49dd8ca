using Postino.Storage;

namespace Postino.Server.Pop2;

/// <summary>
/// The folders a POP2 session has selected. The store locks each mailbox exclusively, and deletions may only be
/// applied at QUIT, so a folder stays open (and locked) from its first selection to the end of the session: FOLD
/// away and back finds the same snapshot with its ACKD marks (marked messages stay hidden, numbers never shift),
/// and QUIT commits every folder that was opened. Any other end disposes them all without commit.
/// </summary>
public sealed class Pop2OpenFolders(IMailStore store, string user) : IAsyncDisposable
{
    private readonly List<(string Name, IMaildrop Maildrop)> _open = [];

    /// <summary>The names of the folders opened so far, in order.</summary>
    public IEnumerable<string> Names => _open.Select(folder => folder.Name);

    /// <summary>The folder's maildrop, opening it on first use; null when the folder does not exist.</summary>
    /// <exception cref="MailboxInUseException">another session holds the folder.</exception>
    /// <exception cref="StorageException">the store failed.</exception>
    public async ValueTask<IMaildrop?> SelectAsync(string name, CancellationToken cancellationToken)
    {
        if (Pop2FolderName.Normalize(name) is not { } key)
        {
            return null;
        }

        foreach (var (openName, maildrop) in _open)
        {
            if (openName == key)
            {
                return maildrop;
            }
        }

        try
        {
            var opened = await store.OpenAsync(user, key, cancellationToken);
            _open.Add((key, opened));
            return opened;
        }
        catch (MailboxNotFoundException)
        {
            return null;
        }
    }

    /// <summary>Commits every open folder; returns false when any commit failed (the others are still attempted).</summary>
    public async ValueTask<bool> CommitAllAsync(CancellationToken cancellationToken)
    {
        var allCommitted = true;
        foreach (var (_, maildrop) in _open)
        {
            try
            {
                await maildrop.CommitAsync(cancellationToken);
            }
            catch (StorageException)
            {
                allCommitted = false;
            }
        }

        return allCommitted;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var (_, maildrop) in _open)
        {
            await maildrop.DisposeAsync();
        }

        _open.Clear();
    }
}
