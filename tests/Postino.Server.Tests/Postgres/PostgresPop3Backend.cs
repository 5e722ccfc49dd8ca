using Npgsql;
using Postino.Server.Tests.Fakes;
using Postino.Storage;
using Postino.Storage.Postgres;

namespace Postino.Server.Tests.Postgres;

/// <summary>
/// Runs a POP3 transcript on the PostgreSQL store: the messages its setup put in the fake mailboxes are stored in the
/// database with their UIDLs, "in-use" mailboxes are really locked by another store instance (another node), injected
/// open/commit failures still apply, and after the session the fake mailboxes are filled from the database's state
/// (which UIDLs are gone, which carry a first-retrieval time), so the transcript's own assertions check the database.
/// </summary>
public sealed class PostgresPop3Backend : IAsyncDisposable
{
    private readonly PostgresMailStore _store;
    private readonly PostgresMailStore _otherNode;
    private readonly FakeMailStore _fake;
    private readonly List<IMaildrop> _held = [];
    private readonly Dictionary<string, List<string>> _initial = new(StringComparer.Ordinal);

    private PostgresPop3Backend(PostgresDatabase database, FakeMailStore fake)
    {
        _store = new PostgresMailStore(database);
        _otherNode = new PostgresMailStore(database);
        _fake = fake;
    }

    public IMailStore Store => new Injecting(_store, _fake);

    private PostgresDatabase Database { get; init; } = null!;

    public static async Task<PostgresPop3Backend> CreateAsync(PostgresDatabase database, FakeMailStore fake)
    {
        var backend = new PostgresPop3Backend(database, fake) { Database = database };
        var received = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        foreach (var mailbox in fake.Mailboxes.ToList())
        {
            backend._initial[mailbox.User] = [.. mailbox.Messages.Select(m => m.Uidl)];
            foreach (var message in mailbox.Messages)
            {
                using var body = new MemoryStream(message.Stored);
                received = received.AddSeconds(1);
                await backend._store.ImportAsync(mailbox.User, "INBOX", message.Uidl, received, null, body, CancellationToken.None);
            }

            if (mailbox.IsLocked)
            {
                backend._held.Add(await backend._otherNode.OpenAsync(mailbox.User, null, CancellationToken.None));
            }
        }

        return backend;
    }

    /// <summary>Records in the fake mailboxes what the database now says the session did.</summary>
    public async Task ReadBackAsync()
    {
        foreach (var (user, uidls) in _initial)
        {
            var now = new Dictionary<string, bool>(StringComparer.Ordinal);
            await using var command = Database.Pool.CreateCommand("SELECT uidl, first_retrieved_at IS NOT NULL FROM postino_messages WHERE user_name = $1");
            command.Parameters.Add(new NpgsqlParameter { Value = user });
            await using (var reader = await command.ExecuteReaderAsync())
            {
                while (await reader.ReadAsync())
                {
                    now[reader.GetString(0)] = reader.GetBoolean(1);
                }
            }

            var mailbox = _fake.Mailbox(user);
            mailbox.DeletedUidls.AddRange(uidls.Where(u => !now.ContainsKey(u)));
            mailbox.RetrievedUidls.AddRange(uidls.Where(u => now.TryGetValue(u, out var retrieved) && retrieved));
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var maildrop in _held)
        {
            await maildrop.DisposeAsync();
        }

        await _store.DisposeAsync();
        await _otherNode.DisposeAsync();
    }

    /// <summary>The real store, with the fake's injected failures, counting commits in the fake.</summary>
    private sealed class Injecting(PostgresMailStore store, FakeMailStore fake) : IMailStore
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
            return new Maildrop(maildrop, mailbox);
        }

        public ValueTask<DeliveryResult> DeliverAsync(string user, Stream message, CancellationToken cancellationToken) =>
            store.DeliverAsync(user, message, cancellationToken);

        public ValueTask<IReadOnlyList<RecipientDelivery>> DeliverAsync(
            IReadOnlyList<string> users, IMessageSource message, CancellationToken cancellationToken) =>
            store.DeliverAsync(users, message, cancellationToken);
    }

    private sealed class Maildrop(IMaildrop inner, FakeMailbox mailbox) : IMaildrop
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
