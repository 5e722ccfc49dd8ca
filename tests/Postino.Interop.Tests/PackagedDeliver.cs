using Postino.Storage.Postgres.Tests.Support;

namespace Postino.Interop.Tests;

/// <summary>
/// The package's <c>postino deliver</c> (the launcher running the NativeAOT postino-deliver) against the package's
/// .NET <c>postino deliver</c>, as an MTA runs them: the same exit codes for a delivery, an unknown user, a mailbox
/// over quota and a bad configuration, to Maildir and to PostgreSQL, and the delivered file fsynced, then renamed into
/// <c>new/</c>, then <c>new/</c> fsynced, before exit 0, without loading OpenSSL. Called by
/// <see cref="DebianPackageTests"/>, which publishes once.
/// </summary>
internal static class PackagedDeliver
{
    private const string Message = "From: sender@example.org\nSubject: packaged deliver\n\nbody\n";

    public static async Task CheckAsync(string root, string work)
    {
        var launcher = Path.Combine(root, "usr", "bin", "postino");
        var aot = Path.Combine(root, "usr", "lib", "postino", "postino-deliver");
        Assert.True(File.Exists(aot), "the package ships postino-deliver");
        var data = Path.Combine(work, "deliver-data");
        var add = await ExternalProgram.RunAsync(launcher, ["user", "add", "bob", "--password-stdin", "--data-dir", data], input: "s3cret-pw\n");
        Assert.True(add.ExitCode == 0, add.Stdout + add.Stderr);

        // The launcher's deliver is the AOT build; the .NET program's deliver is the reference.
        string[] aotDeliver = [launcher, "deliver"];
        string[] fullDeliver = [Path.Combine(root, "usr", "lib", "postino", "postino"), "deliver"];
        foreach (var (environment, user, expected, says) in new[]
        {
            ("POSTINO__Delivery__RecipientDelimiter=+", "bob+tag", 0, ""),
            ("POSTINO__Delivery__RecipientDelimiter=+", "nobody", 67, "No such user: nobody"),
            ("POSTINO__Mail__QuotaBytes=10", "bob", 75, "quota"),
            ("POSTINO__Mail__NoSuchKey=1", "bob", 75, "Mail:NoSuchKey: unknown option"),
        })
        {
            foreach (var deliver in new[] { aotDeliver, fullDeliver })
            {
                var run = await ExternalProgram.RunAsync("env", [environment, .. deliver, "--data-dir", data, "-f", "sender@example.org", user], input: Message);
                Assert.True(run.ExitCode == expected, $"{string.Join(' ', deliver)} {user} with {environment}: exit {run.ExitCode}, expected {expected}: {run.Stderr}");
                Assert.Contains(says, run.Stderr, StringComparison.Ordinal);
            }
        }

        var newFolder = Path.Combine(data, "mail", "bob", "Maildir", "new");
        var delivered = Directory.GetFiles(newFolder);
        Assert.Equal(2, delivered.Length);
        Assert.All(delivered, file => Assert.StartsWith("Return-Path: <sender@example.org>", File.ReadAllText(file), StringComparison.Ordinal));

        var trace = Path.Combine(work, "deliver.strace");
        var traced = await ExternalProgram.RunAsync(
            "strace", ["-f", "-o", trace, "-e", "trace=openat,fsync,fdatasync,rename,renameat,renameat2,link,linkat,exit_group", .. aotDeliver, "--data-dir", data, "bob"], input: Message);
        Assert.True(traced.ExitCode == 0, traced.Stderr);
        var calls = File.ReadAllLines(trace);
        // link(2) or rename(2) into new/ (File.Move without overwrite links); strace -f may split a call in two lines.
        var renamed = Array.FindLastIndex(calls, line => line.Contains("/new/", StringComparison.Ordinal) && !line.Contains("openat(", StringComparison.Ordinal));
        Assert.True(renamed > 0, string.Join('\n', calls));
        Assert.Contains(calls[..renamed], line => line.Contains("fsync", StringComparison.Ordinal));
        var synced = Array.FindIndex(calls, renamed + 1, line => line.Contains("fsync", StringComparison.Ordinal));
        // "exit_group(0" without its ")": when another thread is still in a system call, strace -f prints the exit as
        // "exit_group(0 <unfinished ...>" and its end on a later line (seen once in CI on a loaded machine).
        var exited = Array.FindLastIndex(calls, line => line.Contains("exit_group(0", StringComparison.Ordinal));
        Assert.True(synced > renamed && exited > synced, string.Join('\n', calls));

        // A one-shot process must not start OpenSSL (4 MB and milliseconds): Maildir names take no RandomNumberGenerator.
        Assert.DoesNotContain(calls, line => line.Contains("libcrypto", StringComparison.Ordinal));
    }

    /// <summary>
    /// Both deliver to a PostgreSQL store (the test run's private cluster) the same way: delivered, unknown user, over
    /// quota, and the database down (nothing listens on the port), with the same exit codes and messages; the AOT build
    /// (postino-deliver becoming postino-oneshot) writes the same rows (the store's own code on Npgsql's slim data source).
    /// </summary>
    public static async Task CheckPostgresAsync(string root, string work)
    {
        var cluster = await PostgresCluster.GetAsync();
        var database = await cluster.CreateDatabaseAsync();
        var url = cluster.Url(database);
        var launcher = Path.Combine(root, "usr", "bin", "postino");
        var data = Path.Combine(work, "deliver-postgres");
        foreach (var user in new[] { "bob", "carol" })
        {
            var add = await ExternalProgram.RunAsync(launcher, ["user", "add", user, "--password-stdin", "--data-dir", data, "--store", url], input: "s3cret-pw\n");
            Assert.True(add.ExitCode == 0, add.Stdout + add.Stderr);
        }

        var quota = await ExternalProgram.RunAsync(launcher, ["user", "set", "carol", "--quota-bytes", "10", "--data-dir", data, "--store", url]);
        Assert.True(quota.ExitCode == 0, quota.Stdout + quota.Stderr);

        string[] aotDeliver = [launcher, "deliver"];
        string[] fullDeliver = [Path.Combine(root, "usr", "lib", "postino", "postino"), "deliver"];
        foreach (var (store, user, expected, says) in new[]
        {
            (url, "bob+tag", 0, ""),
            (url, "nobody", 67, "No such user: nobody"),
            (url, "carol", 75, "Delivery to carol failed (OverQuota): mailbox of carol is over its bytes quota"),
            ("postgresql://postgres@127.0.0.1:1/none", "bob", 75, "Cannot look up user bob"),
        })
        {
            var outcomes = new List<(int ExitCode, string Stderr)>();
            foreach (var deliver in new[] { aotDeliver, fullDeliver })
            {
                var run = await ExternalProgram.RunAsync(
                    "env", ["POSTINO__Delivery__RecipientDelimiter=+", .. deliver, "--data-dir", data, "--store", store, "-f", "sender@example.org", user], input: Message);
                Assert.True(run.ExitCode == expected, $"{string.Join(' ', deliver)} {user}: exit {run.ExitCode}, expected {expected}: {run.Stderr}");
                Assert.Contains(says, run.Stderr, StringComparison.Ordinal);
                outcomes.Add((run.ExitCode, run.Stderr));
            }

            Assert.Equal(outcomes[0], outcomes[1]);
        }

        // NativeAOT programs deliver: postino-deliver becomes postino-oneshot (which has the store); no .NET program runs.
        var trace = Path.Combine(work, "deliver-postgres.strace");
        var traced = await ExternalProgram.RunAsync("strace", ["-f", "-o", trace, "-e", "trace=execve", .. aotDeliver, "--data-dir", data, "--store", url, "bob"], input: Message);
        Assert.True(traced.ExitCode == 0, traced.Stderr);
        var programs = File.ReadAllLines(trace).Where(line => line.Contains("execve(", StringComparison.Ordinal)).ToList();
        Assert.Contains(programs, line => line.Contains("/postino-deliver\"", StringComparison.Ordinal));
        Assert.Contains(programs, line => line.Contains("/postino-oneshot\", [\"", StringComparison.Ordinal) && line.Contains("\"deliver\"", StringComparison.Ordinal));
        Assert.DoesNotContain(programs, line => line.Contains("/lib/postino/postino\"", StringComparison.Ordinal));

        await using var source = Npgsql.NpgsqlDataSource.Create(cluster.Settings(database));
        await using var command = source.CreateCommand(
            "SELECT m.user_name, m.folder, m.size, convert_from(string_agg(c.data, ''::bytea ORDER BY c.seq), 'UTF8') FROM postino_messages m "
            + "JOIN postino_chunks c USING (user_name, message_id) GROUP BY m.user_name, m.message_id ORDER BY m.message_id");
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<string>();
        while (await reader.ReadAsync())
        {
            rows.Add($"{reader.GetString(0)} {reader.GetString(1)} {reader.GetInt64(2)} {reader.GetString(3)}");
        }

        // One copy each, identical: the Return-Path, the body in its wire form (CRLF), the size counted the same way
        // (the third, traced, has no Return-Path).
        Assert.Equal(3, rows.Count);
        Assert.Equal(rows[0], rows[1]);
        Assert.StartsWith("bob INBOX ", rows[0], StringComparison.Ordinal);
        Assert.Contains("Return-Path: <sender@example.org>\r\n", rows[0], StringComparison.Ordinal);
    }
}
