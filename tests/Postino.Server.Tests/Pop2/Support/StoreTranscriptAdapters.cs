using Postino.Storage;

namespace Postino.Server.Tests.Pop2.Support;

/// <summary>Shared by both adapters: locks are real maildrops held open; reading opens a maildrop and streams each message.</summary>
public abstract class TranscriptStoreBase : ITranscriptStore
{
    private readonly List<IMaildrop> _held = [];

    public abstract IMailStore Store { get; }

    public abstract Task AddFolderAsync(string user, string folder);

    public abstract Task AddMessageAsync(string user, string folder, byte[] message);

    public async Task LockAsync(string user, string folder) =>
        _held.Add(await Store.OpenAsync(user, folder, CancellationToken.None));

    public async Task ReleaseOthersAsync()
    {
        foreach (var maildrop in _held)
        {
            await maildrop.DisposeAsync();
        }

        _held.Clear();
    }

    public async Task<IReadOnlyList<(byte[] Bytes, bool Retrieved)>> ReadAsync(string user, string folder)
    {
        await using var maildrop = await Store.OpenAsync(user, folder, CancellationToken.None);
        var messages = new List<(byte[], bool)>();
        for (var index = 0; index < maildrop.Messages.Count; index++)
        {
            await using var stream = await maildrop.OpenMessageAsync(index, CancellationToken.None);
            using var copy = new MemoryStream();
            await stream.CopyToAsync(copy);
            messages.Add((copy.ToArray(), maildrop.Messages[index].FirstRetrievedAt is not null));
        }

        return messages;
    }

    public virtual async ValueTask DisposeAsync()
    {
        await ReleaseOthersAsync();
        GC.SuppressFinalize(this);
    }
}

public sealed class InMemoryTranscriptStore(MemoryMailStore store) : TranscriptStoreBase
{
    public override IMailStore Store => store;

    public override Task AddFolderAsync(string user, string folder)
    {
        store.AddFolder(user, folder);
        return Task.CompletedTask;
    }

    public override Task AddMessageAsync(string user, string folder, byte[] message)
    {
        store.AddMessage(user, folder, message);
        return Task.CompletedTask;
    }
}

/// <summary>
/// The real Maildir store. Messages are written as files another delivery agent would leave in <c>new/</c>, with
/// increasing delivery times in their names, so message numbers follow the transcript's order.
/// </summary>
public sealed class MaildirTranscriptStore : TranscriptStoreBase
{
    private readonly MaildirFixture _maildir = new();
    private int _files;

    public override IMailStore Store => _maildir.Store;

    public override async Task AddFolderAsync(string user, string folder) => await FolderPathAsync(user, folder);

    public override async Task AddMessageAsync(string user, string folder, byte[] message)
    {
        var path = await FolderPathAsync(user, folder);
        var name = $"{1700000000 + _files}.M{_files}P1.transcript";
        _files++;
        await File.WriteAllBytesAsync(Path.Combine(path, "new", name), message);
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        _maildir.Dispose();
    }

    private async Task<string> FolderPathAsync(string user, string folder)
    {
        var root = await _maildir.Store.GetMaildirPathAsync(user, CancellationToken.None);
        var path = MemoryMailStore.Key(folder) == "INBOX" ? root : Path.Combine(root, "." + folder);
        foreach (var sub in new[] { "cur", "new", "tmp" })
        {
            Directory.CreateDirectory(Path.Combine(path, sub));
        }

        return path;
    }
}

/// <summary>
/// The PostgreSQL store, on a database emptied for the transcript. Messages are stored with increasing arrival times,
/// so message numbers follow the transcript's order.
/// </summary>
public sealed class PostgresTranscriptStore(Postgres.PostgresTestDatabase database) : TranscriptStoreBase
{
    private readonly Storage.Postgres.PostgresMailStore _store = new(database.Database);
    private DateTimeOffset _received = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public override IMailStore Store => _store;

    public override async Task AddFolderAsync(string user, string folder)
    {
        await _store.CreateFolderAsync(user, "INBOX", CancellationToken.None);
        await _store.CreateFolderAsync(user, folder, CancellationToken.None);
    }

    public override async Task AddMessageAsync(string user, string folder, byte[] message)
    {
        await AddFolderAsync(user, folder);
        _received = _received.AddSeconds(1);
        using var body = new MemoryStream(message);
        await _store.ImportAsync(user, folder, $"u{_received.ToUnixTimeSeconds()}", _received, null, body, CancellationToken.None);
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        await _store.DisposeAsync();
    }
}
