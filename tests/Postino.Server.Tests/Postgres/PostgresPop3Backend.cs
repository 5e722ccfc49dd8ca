using Postino.Server.Tests.Pop3;
using Postino.Storage;
using Postino.Storage.Postgres;

namespace Postino.Server.Tests.Postgres;

/// <summary>A POP3 transcript on the PostgreSQL store; "another node" is a second store on the same database.</summary>
public sealed class PostgresPop3Backend : RealStorePop3Backend
{
    private readonly PostgresMailStore _store;
    private readonly PostgresMailStore _otherNode;
    private DateTimeOffset _received = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private PostgresPop3Backend(PostgresDatabase database, MemoryMailStore fake)
        : base(fake)
    {
        _store = new PostgresMailStore(database);
        _otherNode = new PostgresMailStore(database);
    }

    protected override IMailStore Inner => _store;

    protected override IMailStore OtherNode => _otherNode;

    public static async Task<PostgresPop3Backend> CreateAsync(PostgresDatabase database, MemoryMailStore fake)
    {
        var backend = new PostgresPop3Backend(database, fake);
        await backend.SeedAsync();
        return backend;
    }

    protected override async Task SeedAsync(string user, IReadOnlyList<MemoryMessage> messages)
    {
        foreach (var message in messages)
        {
            using var body = new MemoryStream(message.Bytes);
            _received = _received.AddSeconds(1);
            await _store.ImportAsync(user, "INBOX", message.Uidl, _received, null, body, CancellationToken.None);
        }
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        await _store.DisposeAsync();
        await _otherNode.DisposeAsync();
    }
}
