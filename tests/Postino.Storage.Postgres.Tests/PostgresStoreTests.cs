using System.Text;
using Npgsql;
using Postino.Storage.Maildir;
using Postino.Storage.Postgres.Tests.Support;
using Postino.Storage.Users;

namespace Postino.Storage.Postgres.Tests;

/// <summary>What only the PostgreSQL store does: migrations, the indexed login, lock loss, users, import.</summary>
public sealed class PostgresStoreTests : IAsyncLifetime
{
    private PostgresKind _kind = null!;

    public async Task InitializeAsync() => _kind = await PostgresKind.CreateAsync();

    public async Task DisposeAsync() => await _kind.DisposeAsync();

    [Fact]
    public async Task Migrations_create_the_schema_once_even_when_nodes_start_together()
    {
        var name = await _kind.Cluster.CreateEmptyDatabaseAsync();
        await using var first = PostgresDatabase.Open(_kind.Cluster.Settings(name));
        await using var second = PostgresDatabase.Open(_kind.Cluster.Settings(name));

        var runs = await Task.WhenAll(first.MigrateAsync(CancellationToken.None), second.MigrateAsync(CancellationToken.None));

        Assert.Equal(Migrations.SchemaMigrator.Scripts.Select(s => s.Version), runs.SelectMany(r => r).Order());
        Assert.Empty(await first.MigrateAsync(CancellationToken.None));
    }

    [Fact]
    public async Task A_login_to_a_100000_message_mailbox_reads_no_body_and_uses_the_index()
    {
        var store = _kind.OpenPostgresStore();
        await using (var fill = _kind.Database.Pool.CreateCommand(
            "INSERT INTO postino_folders (user_name, folder, messages, bytes) VALUES ('big', 'INBOX', 100000, 100000 * 100); "
            + "INSERT INTO postino_messages (user_name, folder, uidl, size, received_at) "
            + "SELECT 'big', 'INBOX', 'u' || i, 100, timestamptz '2026-01-01' + i * interval '1 second' FROM generate_series(1, 100000) i; ANALYZE postino_messages"))
        {
            await fill.ExecuteNonQueryAsync();
        }

        await using (var maildrop = await store.OpenAsync("big", null, CancellationToken.None))
        {
            Assert.Equal(100_000, maildrop.Messages.Count);
            Assert.Equal(10_000_000, maildrop.Messages.Sum(m => m.Size));
            Assert.Equal("u1", maildrop.Messages[0].Uidl);
        }

        Assert.Equal(0, store.ChunkReads);
        await using var explain = _kind.Database.Pool.CreateCommand(
            "EXPLAIN SELECT message_id, uidl, size, received_at, first_retrieved_at FROM postino_messages "
            + "WHERE user_name = 'big' AND folder = 'INBOX' ORDER BY received_at, message_id");
        var plan = (string)(await explain.ExecuteScalarAsync())!;
        Assert.Contains("postino_messages_snapshot", plan, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_node_whose_lock_connection_dies_loses_its_locks_and_cannot_commit()
    {
        var nodeA = _kind.OpenPostgresStore();
        var nodeB = _kind.OpenPostgresStore();
        using (var message = new MemoryStream("Subject: x\r\n\r\nx\r\n"u8.ToArray()))
        {
            await nodeA.DeliverAsync("alice", message, CancellationToken.None);
        }

        var held = await nodeA.OpenAsync("alice", null, CancellationToken.None);
        await Assert.ThrowsAsync<MailboxInUseException>(async () => await nodeB.OpenAsync("alice", null, CancellationToken.None));

        // As when node A's process dies: its connection goes, and PostgreSQL drops its session locks.
        await using (var kill = _kind.Database.Pool.CreateCommand("SELECT pg_terminate_backend($1)"))
        {
            kill.Parameters.Add(new NpgsqlParameter { Value = nodeA.Locks.BackendPid });
            await kill.ExecuteNonQueryAsync();
        }

        await using var maildropB = await OpenWhenFreeAsync(nodeB);
        held.MarkDeleted(0);
        await Assert.ThrowsAsync<StorageException>(async () => await held.CommitAsync(CancellationToken.None));
        await held.DisposeAsync();
        Assert.Single(maildropB.Messages);
    }

    [Fact]
    public async Task One_node_at_a_time_leads_the_retention_sweep()
    {
        var nodeA = new PostgresSweepLeadership(_kind.Database);
        var nodeB = new PostgresSweepLeadership(_kind.Database);

        var lead = await nodeA.TryLeadAsync(CancellationToken.None);
        Assert.NotNull(lead);
        Assert.Null(await nodeB.TryLeadAsync(CancellationToken.None));
        await lead.DisposeAsync();
        await using var next = await nodeB.TryLeadAsync(CancellationToken.None);
        Assert.NotNull(next);
    }

    [Fact]
    public async Task Users_are_added_found_updated_listed_and_removed()
    {
        var users = new PostgresUserDirectory(_kind.Database);
        var alice = UserRecord.Create("alice", "{PLAIN}secret").WithExtra(UserSettings.QuotaMessagesKey, "5").WithExtra("userdb_x", "y");

        Assert.True(await users.AddAsync(alice, CancellationToken.None));
        Assert.False(await users.AddAsync(alice, CancellationToken.None));
        var found = await users.FindAsync("alice", CancellationToken.None);
        Assert.Equal(alice.Password, found!.Password);
        Assert.Equal(alice.Extra.ToList(), found.Extra.ToList());
        Assert.True(await users.UpdateAsync("alice", u => u.WithExtra(UserSettings.QuotaMessagesKey, null), CancellationToken.None));
        Assert.Single((await users.FindAsync("alice", CancellationToken.None))!.Extra);
        Assert.Equal(["alice"], await users.ListUserNamesAsync(CancellationToken.None));
        Assert.True(await users.RemoveAsync("alice", CancellationToken.None));
        Assert.Null(await users.FindAsync("alice", CancellationToken.None));
        Assert.False(await users.UpdateAsync("alice", u => u, CancellationToken.None));
    }

    [Fact]
    public async Task Import_keeps_uidls_sizes_and_times_and_a_second_run_copies_only_what_is_missing()
    {
        var root = Directory.CreateTempSubdirectory("postino-import-").FullName;
        try
        {
            var maildir = new MaildirStore(new MaildirStoreOptions { DataDirectory = root, LocationTemplate = Path.Combine(root, "%u", "Maildir") }, time: _kind.Time);
            foreach (var text in new[] { "Subject: 1\n\none\n", "Subject: 2\n\ntwo\n.\n" })
            {
                using var stream = new MemoryStream(Encoding.ASCII.GetBytes(text));
                await maildrop(maildir, stream);
                _kind.Time.Advance(TimeSpan.FromMinutes(1));
            }

            await using (var session = await maildir.OpenAsync("alice", null, CancellationToken.None))
            {
                session.MarkRetrieved(0);
                await session.CommitAsync(CancellationToken.None);
            }

            IReadOnlyList<MessageInfo> expected;
            await using (var session = await maildir.OpenAsync("alice", null, CancellationToken.None))
            {
                expected = session.Messages;
            }

            var target = _kind.OpenPostgresStore();
            var importer = new MaildirImporter(target, new PostgresUserDirectory(_kind.Database), maildir, root);
            Assert.Equal(["alice"], importer.UsersOnDisk());
            var first = await importer.ImportUserAsync("alice", UserRecord.Create("alice", "{PLAIN}pw"), null, CancellationToken.None);
            Assert.Equal((2, 0, true), (first.Imported, first.AlreadyThere, first.UserAdded));

            using (var third = new MemoryStream("Subject: 3\n\nthree\n"u8.ToArray()))
            {
                await maildrop(maildir, third);
            }

            var second = await importer.ImportUserAsync("alice", UserRecord.Create("alice", "{PLAIN}pw"), null, CancellationToken.None);
            Assert.Equal((1, 2, false), (second.Imported, second.AlreadyThere, second.UserAdded));

            await using var imported = await target.OpenAsync("alice", null, CancellationToken.None);
            Assert.Equal(3, imported.Messages.Count);
            for (var i = 0; i < expected.Count; i++)
            {
                Assert.Equal(expected[i].Uidl, imported.Messages[i].Uidl);
                Assert.Equal(expected[i].Size, imported.Messages[i].Size);
                Assert.Equal(expected[i].ReceivedAt, imported.Messages[i].ReceivedAt);
                Assert.Equal(expected[i].FirstRetrievedAt, imported.Messages[i].FirstRetrievedAt);
            }
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }

        static async Task maildrop(MaildirStore store, Stream message) => await store.DeliverAsync("alice", message, CancellationToken.None);
    }

    [Theory]
    [InlineData("postgresql://mail:s%40cret@db.example:6432/postino?sslmode=require", "db.example", 6432, "postino", "mail", "s@cret")]
    [InlineData("postgres://mail@/postino?host=/run/postgresql", "/run/postgresql", 5432, "postino", "mail", null)]
    [InlineData("postgresql://[::1]:5433/mail", "::1", 5433, "mail", null, null)]
    [InlineData("Host=h;Port=7;Database=d;Username=u;Password=p", "h", 7, "d", "u", "p")]
    public void Store_urls_become_npgsql_settings(string url, string host, int port, string database, string? user, string? password)
    {
        var settings = PostgresConnectionString.Parse(url);
        Assert.Equal((host, port, database, user, password), (settings.Host, settings.Port, settings.Database, settings.Username, settings.Password));
        Assert.DoesNotContain("cret", PostgresConnectionString.Describe(settings), StringComparison.Ordinal);
    }

    [Fact]
    public void A_password_file_supplies_a_missing_password_and_a_bad_url_names_no_secret()
    {
        var file = Path.GetTempFileName();
        try
        {
            File.WriteAllText(file, "from-file\n");
            Assert.Equal("from-file", PostgresConnectionString.Parse("postgresql://u@h/d", file).Password);
            Assert.Equal("inline", PostgresConnectionString.Parse("postgresql://u:inline@h/d", file).Password);
            var error = Assert.Throws<FormatException>(() => PostgresConnectionString.Parse("postgresql://u:topsecret@h/d?bogus=1"));
            Assert.DoesNotContain("topsecret", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }
    }

    /// <summary>Node B retries until PostgreSQL has dropped node A's locks (it does so as the backend exits).</summary>
    private static async Task<IMaildrop> OpenWhenFreeAsync(PostgresMailStore store)
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (true)
        {
            try
            {
                return await store.OpenAsync("alice", null, CancellationToken.None);
            }
            catch (MailboxInUseException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(20);
            }
        }
    }
}
