using Postino.Storage;

namespace Postino.Server.Tests.Pop3;

/// <summary>
/// Runs a POP3 transcript on a real store: the messages its fixtures put in the in-memory mailboxes are stored there
/// with their declared UIDLs, locked mailboxes are really locked by a second store instance (another node or
/// process), injected open/commit failures still apply, and after the session the in-memory mailboxes are filled
/// from the real store's state (which UIDLs are gone, which carry a first-retrieval time), so the transcript's own
/// expectations check the real store.
/// </summary>
public abstract class RealStorePop3Backend(MemoryMailStore fake) : IAsyncDisposable
{
    private readonly List<IMaildrop> _held = [];
    private readonly Dictionary<string, List<string>> _initial = new(StringComparer.Ordinal);

    /// <summary>The store the session uses, with the fixtures' injected failures, counting opens and commits.</summary>
    public IMailStore Store => new InjectingMailStore(Inner, fake);

    protected abstract IMailStore Inner { get; }

    /// <summary>A second instance on the same data, to hold a mailbox as another server would.</summary>
    protected abstract IMailStore OtherNode { get; }

    /// <summary>Stores a user's messages in order, each with its UIDL.</summary>
    protected abstract Task SeedAsync(string user, IReadOnlyList<MemoryMessage> messages);

    public async Task SeedAsync()
    {
        foreach (var mailbox in fake.Mailboxes.ToList())
        {
            _initial[mailbox.User] = [.. mailbox.Messages.Select(m => m.Uidl)];
            await SeedAsync(mailbox.User, mailbox.Messages);
            if (mailbox.IsLocked)
            {
                _held.Add(await OtherNode.OpenAsync(mailbox.User, null, CancellationToken.None));
            }
        }
    }

    /// <summary>Records in the in-memory mailboxes what the real store now says the session did.</summary>
    public async Task ReadBackAsync()
    {
        await ReleaseAsync();
        foreach (var (user, uidls) in _initial)
        {
            var now = new Dictionary<string, bool>(StringComparer.Ordinal);
            await using (var maildrop = await OpenReleasedAsync(user))
            {
                foreach (var message in maildrop.Messages)
                {
                    now[message.Uidl] = message.FirstRetrievedAt is not null;
                }
            }

            var mailbox = fake.Mailbox(user);
            mailbox.DeletedUidls.AddRange(uidls.Where(u => !now.ContainsKey(u)));
            mailbox.RetrievedUidls.AddRange(uidls.Where(u => now.TryGetValue(u, out var retrieved) && retrieved));
        }
    }

    public virtual async ValueTask DisposeAsync()
    {
        await ReleaseAsync();
        GC.SuppressFinalize(this);
    }

    private async Task ReleaseAsync()
    {
        foreach (var maildrop in _held)
        {
            await maildrop.DisposeAsync();
        }

        _held.Clear();
    }

    /// <summary>
    /// Opens the mailbox once the session has released it. A flock belongs to the open file description, which a
    /// child process another test forks at that moment shares until its exec: a released lock can stay visible for
    /// a few milliseconds on a loaded machine. One still held after 5 s was not released.
    /// </summary>
    private async Task<IMaildrop> OpenReleasedAsync(string user)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(5);
        while (true)
        {
            try
            {
                return await Inner.OpenAsync(user, null, CancellationToken.None);
            }
            catch (MailboxInUseException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(20);
            }
        }
    }

    private sealed class InjectingMailStore(IMailStore store, MemoryMailStore fake) : IMailStore
    {
        public async ValueTask<IMaildrop> OpenAsync(string user, string? folder, CancellationToken cancellationToken)
        {
            var mailbox = fake.Mailbox(user);
            if (mailbox.OpenFailure is { } failure)
            {
                throw failure;
            }

            var maildrop = await store.OpenAsync(user, folder, cancellationToken);
            mailbox.IsLocked = true;
            mailbox.OpenCount++;
            return new InjectingMaildrop(maildrop, mailbox);
        }

        public ValueTask<DeliveryResult> DeliverAsync(string user, Stream message, CancellationToken cancellationToken) =>
            store.DeliverAsync(user, message, cancellationToken);

        public ValueTask<IReadOnlyList<RecipientDelivery>> DeliverAsync(
            IReadOnlyList<string> users, IMessageSource message, CancellationToken cancellationToken) =>
            store.DeliverAsync(users, message, cancellationToken);
    }

    private sealed class InjectingMaildrop(IMaildrop inner, MemoryMailbox mailbox) : IMaildrop
    {
        public string User => inner.User;

        public IReadOnlyList<MessageInfo> Messages => inner.Messages;

        public ValueTask<Stream> OpenMessageAsync(int index, CancellationToken cancellationToken) => inner.OpenMessageAsync(index, cancellationToken);

        public void MarkDeleted(int index) => inner.MarkDeleted(index);

        public bool IsDeleted(int index) => inner.IsDeleted(index);

        public void ClearDeletions() => inner.ClearDeletions();

        public void MarkRetrieved(int index) => inner.MarkRetrieved(index);

        public async ValueTask CommitAsync(CancellationToken cancellationToken)
        {
            if (mailbox.CommitFailure is { } failure)
            {
                throw failure;
            }

            await inner.CommitAsync(cancellationToken);
            mailbox.CommitCount++;
        }

        public async ValueTask DisposeAsync()
        {
            await inner.DisposeAsync();
            mailbox.IsLocked = false;
        }
    }
}
