using System.Diagnostics;
using System.Net;
using System.Text;
using Npgsql;
using Postino.Storage.Postgres;
using Postino.Storage.Postgres.Tests.Support;
using Postino.Storage.Users;

namespace Postino.Interop.Tests;

/// <summary>
/// Two real <c>postino serve</c> processes (nodes A and B) on one PostgreSQL database of the test run's private cluster:
/// mail delivered on one node is read on the other, a mailbox is open on one node at a time, and SIGKILL of a node
/// (during a session, during QUIT, during LMTP DATA) leaves the store consistent and the mailbox free within 15 s.
/// </summary>
public sealed class TwoNodeTests : IAsyncLifetime
{
    private const string User = "alice";
    private const string Password = "two-node-secret";
    private readonly List<PostinoProcess> _nodes = [];
    private string _folder = null!;
    private string _url = null!;
    private PostgresDatabase _database = null!;

    public async Task InitializeAsync()
    {
        var cluster = await PostgresCluster.GetAsync();
        var name = await cluster.CreateDatabaseAsync();
        _url = cluster.Url(name);
        _database = PostgresDatabase.Open(cluster.Settings(name));
        _folder = Directory.CreateTempSubdirectory("postino-nodes-").FullName;
        var (exitCode, output) = await PostinoProcess.RunAsync(["user", "add", User, "--password-stdin", "--store", _url, "--data-dir", _folder], Password + "\n");
        Assert.True(exitCode == 0, output);
    }

    public async Task DisposeAsync()
    {
        foreach (var node in _nodes)
        {
            await node.DisposeAsync();
        }

        await _database.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task Mail_delivered_over_lmtp_to_node_a_is_retrieved_byte_for_byte_from_node_b()
    {
        var (a, b) = await StartBothAsync();
        var body = "Subject: across nodes\r\n\r\nfirst line\r\n..dot line\r\nlast\r\n";
        await using (var lmtp = await LineClient.ConnectLmtpAsync(a.LmtpPort))
        {
            await lmtp.SendMessageAsync("sender@example.org", User + "@localhost", Encoding.ASCII.GetBytes(body));
        }

        await using var pop = await LineClient.ConnectPop3Async(b.Pop3Port);
        Assert.StartsWith("+OK", await pop.LoginAsync(User, Password), StringComparison.Ordinal);
        var stat = await pop.CommandAsync("STAT");
        Assert.StartsWith("+OK 1 ", stat, StringComparison.Ordinal);
        Assert.StartsWith("+OK", await pop.CommandAsync("RETR 1"), StringComparison.Ordinal);
        var message = await pop.ReadMultiLineAsync();
        Assert.StartsWith("Return-Path: <sender@example.org>\r\n", message, StringComparison.Ordinal);
        Assert.EndsWith("\r\n\r\nfirst line\r\n.dot line\r\nlast\r\n", message, StringComparison.Ordinal);
        Assert.Equal(long.Parse(stat.Split(' ')[2], System.Globalization.CultureInfo.InvariantCulture), Encoding.Latin1.GetByteCount(message));
        Assert.Contains("Z [node-a] ", a.OutputText(), StringComparison.Ordinal);

        // Npgsql's own line per command would cost more than the commands: only its warnings reach the log.
        Assert.DoesNotContain("Npgsql.Command", a.OutputText() + b.OutputText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Fetch_and_deliver_work_across_nodes_and_a_mailbox_open_on_one_node_is_in_use_on_the_other_until_that_node_is_killed()
    {
        await FillAsync(3);
        var (a, b) = await StartBothAsync();
        await DeliverAndFetchAsync(b);
        await using var onA = await LineClient.ConnectPop3Async(a.Pop3Port);
        Assert.StartsWith("+OK", await onA.LoginAsync(User, Password), StringComparison.Ordinal);
        await using (var onB = await LineClient.ConnectPop3Async(b.Pop3Port))
        {
            Assert.StartsWith("-ERR [IN-USE]", await onB.LoginAsync(User, Password), StringComparison.Ordinal);
        }

        var killed = Stopwatch.StartNew();
        await a.KillAsync();
        await using var again = await LoginWithinAsync(b, TimeSpan.FromSeconds(15));
        Assert.True(killed.Elapsed < TimeSpan.FromSeconds(15), $"took {killed.Elapsed}");
    }

    [Fact]
    public async Task A_node_killed_in_the_middle_of_quit_deletes_all_300_marked_messages_or_none()
    {
        await FillAsync(300);
        var (a, b) = await StartBothAsync();
        await using (var onA = await LineClient.ConnectPop3Async(a.Pop3Port))
        {
            Assert.StartsWith("+OK", await onA.LoginAsync(User, Password), StringComparison.Ordinal);
            for (var i = 1; i <= 300; i++)
            {
                await onA.WriteLineAsync($"DELE {i}");
            }

            for (var i = 1; i <= 300; i++)
            {
                Assert.StartsWith("+OK", await onA.ReadLineAsync(), StringComparison.Ordinal);
            }

            await onA.WriteLineAsync("QUIT");
            await a.KillAsync();
        }

        var left = await CountAsync();
        Assert.True(left is 0 or 300, $"{left} messages left: QUIT was applied in part");

        // On node B, once the client has read +OK to QUIT, every marked message is gone.
        await using var onB = await LoginWithinAsync(b, TimeSpan.FromSeconds(15));
        for (var i = 1; i <= left; i++)
        {
            await onB.WriteLineAsync($"DELE {i}");
        }

        for (var i = 1; i <= left; i++)
        {
            Assert.StartsWith("+OK", await onB.ReadLineAsync(), StringComparison.Ordinal);
        }

        Assert.StartsWith("+OK", await onB.CommandAsync("QUIT"), StringComparison.Ordinal);
        Assert.Equal(0, await CountAsync());
    }

    [Fact]
    public async Task A_node_killed_during_lmtp_data_keeps_every_acknowledged_message_and_no_partial_one()
    {
        var a = await StartOneAsync("node-a");
        var body = Encoding.ASCII.GetBytes("Subject: acked\r\n\r\n" + string.Concat(Enumerable.Repeat("0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\r\n", 3000)));
        await using (var lmtp = await LineClient.ConnectLmtpAsync(a.LmtpPort))
        {
            for (var i = 0; i < 3; i++)
            {
                await lmtp.SendMessageAsync("sender@example.org", User + "@localhost", body);
            }
        }

        using (var tcp = new System.Net.Sockets.TcpClient())
        {
            await tcp.ConnectAsync("127.0.0.1", a.LmtpPort);
            var stream = tcp.GetStream();
            await stream.WriteAsync(Encoding.ASCII.GetBytes($"LHLO x\r\nMAIL FROM:<s@example.org>\r\nRCPT TO:<{User}>\r\nDATA\r\n"));
            await stream.WriteAsync(body);
            await stream.FlushAsync();
            await a.KillAsync();
        }

        Assert.Equal(3, await CountAsync());
        await using var sizes = _database.Pool.CreateCommand(
            "SELECT m.size, (SELECT coalesce(sum(length(c.data)), 0) FROM postino_chunks c WHERE c.user_name = m.user_name AND c.message_id = m.message_id) FROM postino_messages m");
        await using var reader = await sizes.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            Assert.Equal(reader.GetInt64(0), reader.GetInt64(1));
        }
    }

    [Fact]
    public async Task Behind_haproxy_round_robin_logins_land_on_both_nodes_a_mailbox_is_in_use_across_them_and_caps_and_logs_see_the_real_client()
    {
        var config = Path.Combine(_folder, "proxied.json");
        await File.WriteAllTextAsync(
            config, """{ "Pop3": { "ProxyProtocol": true, "ConnectionsPerAddress": 1 }, "Limits": { "TrustedProxies": "127.0.0.1/32" } }""");
        var starting = new[] { "node-a", "node-b" }.Select(node =>
            PostinoProcess.StartOnAsync(Path.Combine(_folder, node), "--config", config, "--store", _url, "--node-name", node));
        var nodes = await Task.WhenAll(starting);
        _nodes.AddRange(nodes);
        await using var haproxy = await HaproxyProcess.StartBalancedAsync(
            [("pop3", [nodes[0].Pop3Port, nodes[1].Pop3Port], "send-proxy-v2")]);
        var port = haproxy.Ports["pop3"];

        // Round robin: the connections alternate between the nodes, whichever comes first.
        var (first, greeting) = await LineClient.ConnectFromAsync(IPAddress.Parse("127.0.0.2"), port);
        await using var holder = first;
        Assert.StartsWith("+OK", greeting, StringComparison.Ordinal);
        Assert.StartsWith("+OK", await holder.LoginAsync(User, Password), StringComparison.Ordinal);

        var (second, greeting2) = await LineClient.ConnectFromAsync(IPAddress.Parse("127.0.0.3"), port);
        await using var other = second;
        Assert.StartsWith("+OK", greeting2, StringComparison.Ordinal);
        Assert.StartsWith("-ERR [IN-USE]", await other.LoginAsync(User, Password), StringComparison.Ordinal);

        // Back on the first node: the same real client is over its cap of one there; a new one on the second node is
        // not, although every connection comes from HAProxy's one address.
        var (third, refusal) = await LineClient.ConnectFromAsync(IPAddress.Parse("127.0.0.2"), port);
        await third.DisposeAsync();
        Assert.StartsWith("-ERR [SYS/TEMP]", refusal, StringComparison.Ordinal);
        var (fourth, greeting4) = await LineClient.ConnectFromAsync(IPAddress.Parse("127.0.0.4"), port);
        await using (fourth)
        {
            Assert.StartsWith("+OK", greeting4, StringComparison.Ordinal);
            Assert.StartsWith("+OK", await fourth.CommandAsync("QUIT"), StringComparison.Ordinal);
        }

        Assert.StartsWith("+OK", await other.CommandAsync("QUIT"), StringComparison.Ordinal);
        Assert.StartsWith("+OK", await holder.CommandAsync("QUIT"), StringComparison.Ordinal);

        // Each node's logout lines name the clients HAProxy relayed: the holder on one node, the refused login on the other.
        var limit = TimeSpan.FromSeconds(30);
        var holderNode = await LoggedOutOnAsync(nodes, "user=alice remote=127.0.0.2:", limit);
        var otherNode = await LoggedOutOnAsync(nodes, " remote=127.0.0.3:", limit);
        Assert.NotSame(holderNode, otherNode);
        Assert.Same(otherNode, await LoggedOutOnAsync(nodes, " remote=127.0.0.4:", limit));
        Assert.All(nodes, node => Assert.DoesNotContain("user=alice remote=127.0.0.1:", node.OutputText(), StringComparison.Ordinal));
    }

    /// <summary>The node whose log shows a logout line containing <paramref name="text"/>.</summary>
    private static async Task<PostinoProcess> LoggedOutOnAsync(PostinoProcess[] nodes, string text, TimeSpan limit)
    {
        bool Matches(string line) => line.Contains("pop3 logout: ", StringComparison.Ordinal) && line.Contains(text, StringComparison.Ordinal);
        using var found = new CancellationTokenSource();
        var waits = nodes.Select(node => node.WaitForLineAsync(Matches, limit, found.Token)).ToList();
        var done = await Task.WhenAny(waits);
        await found.CancelAsync();
        Assert.True(done.IsCompletedSuccessfully, $"no logout line with {text} on any node:\n" + string.Join("\n", nodes.Select(n => n.OutputText())));
        return nodes[waits.IndexOf(done)];
    }

    [Fact]
    public async Task A_three_recipient_lmtp_delivery_is_one_transaction_and_a_quota_refuses_only_its_recipient()
    {
        var users = new PostgresUserDirectory(_database);
        await users.AddAsync(UserRecord.Create("bob", "{PLAIN}x"), CancellationToken.None);
        await users.AddAsync(UserRecord.Create("carol", "{PLAIN}x"), CancellationToken.None);
        string[] recipients = [User + "@localhost", "bob@localhost", "carol@localhost"];
        var body = Encoding.ASCII.GetBytes("Subject: to three\r\n\r\none body\r\n");
        var a = await StartOneAsync("node-a");
        await using var lmtp = await LineClient.ConnectLmtpAsync(a.LmtpPort);

        // The third recipient's first row fails inside the database: the first two must not be stored either.
        await ExecuteAsync(
            "CREATE FUNCTION fail_for_carol() RETURNS trigger LANGUAGE plpgsql AS "
            + "$$ BEGIN IF NEW.user_name = 'carol' THEN RAISE EXCEPTION 'injected failure'; END IF; RETURN NEW; END $$; "
            + "CREATE TRIGGER fail_for_carol BEFORE INSERT ON postino_chunks FOR EACH ROW EXECUTE FUNCTION fail_for_carol()");
        var failed = await lmtp.SendToAllAsync("sender@example.org", recipients, body);
        Assert.All(failed, reply => Assert.StartsWith("451 4.3.0", reply, StringComparison.Ordinal));
        Assert.Equal(0L, await ScalarAsync("SELECT count(*) FROM postino_messages"));
        Assert.Equal(0L, await ScalarAsync("SELECT count(*) FROM postino_chunks"));

        await ExecuteAsync("DROP TRIGGER fail_for_carol ON postino_chunks");
        var delivered = await lmtp.SendToAllAsync("sender@example.org", recipients, body);
        Assert.All(delivered, reply => Assert.StartsWith("250 ", reply, StringComparison.Ordinal));
        Assert.Equal(3L, await ScalarAsync("SELECT count(DISTINCT user_name) FROM postino_messages"));
        Assert.Equal(1L, await ScalarAsync("SELECT count(DISTINCT xmin::text) FROM (SELECT xmin FROM postino_messages UNION ALL SELECT xmin FROM postino_chunks) rows"));

        // Bob is now full: his recipient alone is refused, the two others are stored in one new transaction.
        await users.UpdateAsync("bob", u => u.WithExtra(UserSettings.QuotaMessagesKey, "1"), CancellationToken.None);
        var oneFull = await lmtp.SendToAllAsync("sender@example.org", recipients, body);
        Assert.StartsWith("250 ", oneFull[0], StringComparison.Ordinal);
        Assert.StartsWith("452 4.2.2", oneFull[1], StringComparison.Ordinal);
        Assert.StartsWith("250 ", oneFull[2], StringComparison.Ordinal);
        Assert.Equal(1L, await ScalarAsync("SELECT count(*) FROM postino_messages WHERE user_name = 'bob'"));
        Assert.Equal(1L, await ScalarAsync("SELECT messages FROM postino_folders WHERE user_name = 'bob'"));
        Assert.Equal(2L, await ScalarAsync("SELECT messages FROM postino_folders WHERE user_name = 'carol'"));
        Assert.Equal(2L, await ScalarAsync("SELECT count(DISTINCT xmin::text) FROM postino_messages"));
    }

    [Fact]
    public async Task After_store_import_a_keep_mode_client_of_the_maildir_server_finds_nothing_new_on_the_postgres_nodes()
    {
        var maildirSite = Path.Combine(_folder, "maildir-site");
        await PostinoProcess.AddUserAsync(maildirSite, "carol", Password);
        var maildirServer = await PostinoProcess.StartOnAsync(maildirSite, "--config", WriteConfig());
        _nodes.Add(maildirServer);
        await using (var lmtp = await LineClient.ConnectLmtpAsync(maildirServer.LmtpPort))
        {
            for (var i = 0; i < 3; i++)
            {
                await lmtp.SendMessageAsync("sender@example.org", "carol@localhost", Encoding.ASCII.GetBytes($"Subject: {i}\r\n\r\nbody {i}\r\n"));
            }
        }

        var fetched = Path.Combine(_folder, "carol-fetched");
        var state = Path.Combine(_folder, "carol-state.json");
        var first = await FetchAsync($"pop3://carol@127.0.0.1:{maildirServer.Pop3Port}", fetched, state);
        Assert.Equal(3, first);
        await maildirServer.KillAsync();

        var import = await PostinoProcess.RunAsync(["store", "import", "--store", _url, "--from", "maildir:" + Path.Combine(maildirSite, "mail"), "--users", Path.Combine(maildirSite, "users")]);
        Assert.True(import.ExitCode == 0, import.Output);
        Assert.Contains("carol: 3 message(s) imported", import.Output, StringComparison.Ordinal);
        var rerun = await PostinoProcess.RunAsync(["store", "import", "--store", _url, "--from", "maildir:" + Path.Combine(maildirSite, "mail"), "--users", Path.Combine(maildirSite, "users")]);
        Assert.Contains("carol: 0 message(s) imported, 3 already there", rerun.Output, StringComparison.Ordinal);

        var node = await StartOneAsync("node-b");
        Assert.Equal(3, await FetchAsync($"pop3://carol@127.0.0.1:{node.Pop3Port}", fetched, state));
    }

    /// <summary><c>postino fetch --keep</c> into a Maildir; how many messages the Maildir holds afterwards.</summary>
    private static async Task<int> FetchAsync(string url, string maildir, string state)
    {
        var run = await PostinoProcess.RunAsync(["fetch", url, "--insecure", "--password-stdin", "--keep", "--to", "maildir:" + maildir, "--state", state], Password + "\n");
        Assert.True(run.ExitCode == 0, run.Output);
        return Directory.GetFiles(Path.Combine(maildir, "new")).Length + Directory.GetFiles(Path.Combine(maildir, "cur")).Length;
    }

    /// <summary><c>postino deliver</c> into the database, then <c>postino fetch</c> in keep mode (twice) and delete mode against node B.</summary>
    private async Task DeliverAndFetchAsync(PostinoProcess b)
    {
        var maildir = Path.Combine(_folder, "fetched");
        var state = Path.Combine(_folder, "fetch-state.json");
        var url = $"pop3://{User}@127.0.0.1:{b.Pop3Port}";

        var deliver = await PostinoProcess.RunAsync(["deliver", "--store", _url, "-f", "mta@example.org", User], "Subject: from deliver\n\nlocal\n");
        Assert.True(deliver.ExitCode == 0, deliver.Output);
        Assert.Equal(4, await CountAsync());

        var keep = await PostinoProcess.RunAsync(["fetch", url, "--insecure", "--password-stdin", "--keep", "--to", "maildir:" + maildir, "--state", state], Password + "\n");
        Assert.True(keep.ExitCode == 0, keep.Output);
        Assert.Equal(4, Directory.GetFiles(Path.Combine(maildir, "new")).Length);
        Assert.Equal(4, await CountAsync());

        var again = await PostinoProcess.RunAsync(["fetch", url, "--insecure", "--password-stdin", "--keep", "--to", "maildir:" + maildir, "--state", state], Password + "\n");
        Assert.True(again.ExitCode == 0, again.Output);
        Assert.Equal(4, Directory.GetFiles(Path.Combine(maildir, "new")).Length);

        var delete = await PostinoProcess.RunAsync(["fetch", url, "--insecure", "--password-stdin", "--delete", "--to", "maildir:" + maildir, "--state", state], Password + "\n");
        Assert.True(delete.ExitCode == 0, delete.Output);
        Assert.Equal(0, await CountAsync());
    }

    private async Task<PostinoProcess> StartOneAsync(string node)
    {
        var started = await PostinoProcess.StartOnAsync(Path.Combine(_folder, node), "--config", WriteConfig(), "--store", _url, "--node-name", node);
        _nodes.Add(started);
        return started;
    }

    private async Task<(PostinoProcess A, PostinoProcess B)> StartBothAsync()
    {
        // Both start at once: their migrations race on purpose (the advisory lock serialises them).
        var starting = new[] { "node-a", "node-b" }.Select(node =>
            PostinoProcess.StartOnAsync(Path.Combine(_folder, node), "--config", WriteConfig(), "--store", _url, "--node-name", node));
        var nodes = await Task.WhenAll(starting);
        _nodes.AddRange(nodes);
        return (nodes[0], nodes[1]);
    }

    /// <summary>A config file (so no demo user is made) with only what the test needs.</summary>
    private string WriteConfig()
    {
        var path = Path.Combine(_folder, "postino.json");
        File.WriteAllText(path, "{}");
        return path;
    }

    private async Task FillAsync(int count)
    {
        await using var store = new PostgresMailStore(_database);
        for (var i = 0; i < count; i++)
        {
            using var message = new MemoryStream(Encoding.ASCII.GetBytes($"Subject: {i}\r\n\r\nmessage {i}\r\n"));
            await store.DeliverAsync(User, message, CancellationToken.None);
        }
    }

    private async Task ExecuteAsync(string sql)
    {
        await using var command = _database.Pool.CreateCommand(sql);
        await command.ExecuteNonQueryAsync();
    }

    private async Task<long> ScalarAsync(string sql)
    {
        await using var command = _database.Pool.CreateCommand(sql);
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    private async Task<long> CountAsync()
    {
        await using var command = _database.Pool.CreateCommand("SELECT count(*) FROM postino_messages WHERE user_name = $1");
        command.Parameters.Add(new NpgsqlParameter { Value = User });
        return (long)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>Logs in on <paramref name="node"/>, retrying while the mailbox is still held, up to <paramref name="limit"/>.</summary>
    private static async Task<LineClient> LoginWithinAsync(PostinoProcess node, TimeSpan limit)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            var client = await LineClient.ConnectPop3Async(node.Pop3Port);
            var reply = await client.LoginAsync(User, Password);
            if (reply.StartsWith("+OK", StringComparison.Ordinal))
            {
                return client;
            }

            await client.DisposeAsync();
            Assert.StartsWith("-ERR [IN-USE]", reply, StringComparison.Ordinal);
            Assert.True(deadline.Elapsed < limit, $"the mailbox was still in use after {deadline.Elapsed}");

            // Polling the other node's state is the point of this test: it has no event to wait on.
            await Task.Delay(100);
        }
    }
}
