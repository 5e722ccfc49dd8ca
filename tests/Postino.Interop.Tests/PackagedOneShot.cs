using Postino.Storage.Postgres.Tests.Support;
using Postino.Storage.Users.Schemes;

namespace Postino.Interop.Tests;

/// <summary>
/// The package's <c>postino user</c> and <c>postino expire</c> (the launcher running the NativeAOT postino-oneshot)
/// against the package's .NET program, side by side: each runs the same steps on its own data folder (or its own empty
/// PostgreSQL database, which the first <c>user</c> command migrates), and every step gives the same exit code, standard
/// output and standard error (paths and URLs aside), errors included. Called by <see cref="DebianPackageTests"/>,
/// which publishes once.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
internal static class PackagedOneShot
{
    public static async Task CheckAsync(string root, string work)
    {
        var launcher = Path.Combine(root, "usr", "bin", "postino");
        Assert.True(File.Exists(Path.Combine(root, "usr", "lib", "postino", "postino-oneshot")), "the package ships postino-oneshot");
        var full = Path.Combine(root, "usr", "lib", "postino", "postino");
        var aotData = Path.Combine(work, "oneshot-aot");
        var fullData = Path.Combine(work, "oneshot-full");
        (string[] Arguments, string? Input)[] steps =
        [
            (["user", "add", "bob", "--password-stdin"], "s3cret-pw\n"),
            (["user", "add", "bob", "--password-stdin"], "other\n"),
            (["user", "add", "carol", "--password-stdin", "--scheme", "SHA512-CRYPT"], "carol-pw\n"),
            (["user", "add", "dave", "--password-stdin", "--scheme", "NOPE"], "x\n"),
            (["user", "add", "bad:name", "--password-stdin"], "x\n"),
            (["user", "add", "erin"], null),
            (["user", "add"], null),
            (["user", "passwd", "carol", "--password-stdin", "--scheme", "PLAIN"], "plain-pw\n"),
            (["user", "passwd", "nobody", "--password-stdin"], "x\n"),
            (["user", "set", "bob", "--quota-bytes", "100000", "--retention", "client,max-age-days:30", "--login-delay", "5"], null),
            (["user", "set", "bob", "--quota-bytes", "lots"], null),
            (["user", "list"], null),
            (["user", "remove", "nobody"], null),
            (["user", "--no-such-option"], null),
            (["expire", "nobody"], null),
            (["expire", "--dry-run"], null),
            (["expire"], null),
            (["user", "remove", "carol"], null),
            (["user", "list"], null),
        ];

        // An old message in bob's inbox, beyond his 30 days: the sweeps above list it, then remove it. The sweeps print
        // its age to a tenth of a day, and the two sides run a moment apart: the age is put 0.02 days past a round
        // number, so both print the same tenth for the next 40 minutes (an age fixed by a date crossed a tenth between
        // the two runs once in a while).
        var received = DateTimeOffset.FromUnixTimeSeconds((DateTimeOffset.UtcNow - TimeSpan.FromDays(9000.02)).ToUnixTimeSeconds());
        foreach (var data in new[] { aotData, fullData })
        {
            var add = await ExternalProgram.RunAsync(full, ["user", "add", "zed", "--password-stdin", "--data-dir", data], input: "pw\n");
            Assert.True(add.ExitCode == 0, add.Stderr);
            var maildir = Path.Combine(data, "mail", "bob", "Maildir");
            foreach (var sub in new[] { "new", "cur", "tmp" })
            {
                Directory.CreateDirectory(Path.Combine(maildir, sub), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            }

            var old = Path.Combine(maildir, "cur", $"{received.ToUnixTimeSeconds()}.M1P1.example:2,S");
            await File.WriteAllTextAsync(old, "Subject: old\r\n\r\nold\r\n");
            File.SetUnixFileMode(old, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            File.SetLastWriteTimeUtc(old, received.UtcDateTime);
        }

        await CompareAsync(launcher, full, steps, ["--data-dir", aotData], ["--data-dir", fullData], aotData, fullData);

        // The AOT build's Argon2id hash (the default scheme) is one the .NET code verifies.
        var stored = File.ReadAllLines(Path.Combine(aotData, "users")).Single(line => line.StartsWith("bob:", StringComparison.Ordinal)).Split(':')[1];
        Assert.StartsWith("{ARGON2ID}", stored, StringComparison.Ordinal);
        Assert.True(PasswordSchemeRegistry.Default.Verify("s3cret-pw", stored));
        Assert.Empty(Directory.GetFiles(Path.Combine(aotData, "mail", "bob", "Maildir", "cur")));
    }

    /// <summary>The same on PostgreSQL: two empty databases, migrated by the first command of each side.</summary>
    public static async Task CheckPostgresAsync(string root, string work)
    {
        var cluster = await PostgresCluster.GetAsync();
        var aotUrl = cluster.Url(await cluster.CreateEmptyDatabaseAsync());
        var fullUrl = cluster.Url(await cluster.CreateEmptyDatabaseAsync());
        var launcher = Path.Combine(root, "usr", "bin", "postino");
        var full = Path.Combine(root, "usr", "lib", "postino", "postino");
        var aotData = Path.Combine(work, "oneshot-pg-aot");
        var fullData = Path.Combine(work, "oneshot-pg-full");
        (string[] Arguments, string? Input)[] steps =
        [
            (["user", "add", "bob", "--password-stdin"], "s3cret-pw\n"),
            (["user", "add", "bob", "--password-stdin"], "other\n"),
            (["user", "add", "carol", "--password-stdin", "--scheme", "PLAIN"], "carol-pw\n"),
            (["user", "set", "bob", "--quota-messages", "7", "--retention", "keep-days:3"], null),
            (["user", "list"], null),
            (["expire", "nobody"], null),
            (["expire"], null),
            (["user", "remove", "carol"], null),
            (["user", "list"], null),
        ];
        await CompareAsync(
            launcher, full, steps, ["--data-dir", aotData, "--store", aotUrl], ["--data-dir", fullData, "--store", fullUrl], aotUrl, fullUrl);

        // The database down: `user` says so (exit 1); `expire` says so in one line and asks cron to try again (75).
        // Compared on the first line of stderr, in case a runtime error ever prints a stack trace in its own form.
        var down = "postgresql://postgres@127.0.0.1:1/none";
        await CompareAsync(
            launcher, full, [(["user", "list"], null), (["expire"], null)], ["--data-dir", aotData, "--store", down], ["--data-dir", fullData, "--store", down], aotData, fullData, firstErrorLine: true);
    }

    private static async Task CompareAsync(
        string launcher,
        string full,
        (string[] Arguments, string? Input)[] steps,
        string[] aotLocation,
        string[] fullLocation,
        string aotPlace,
        string fullPlace,
        bool firstErrorLine = false)
    {
        foreach (var (arguments, input) in steps)
        {
            var aot = await ExternalProgram.RunAsync(launcher, [.. arguments, .. aotLocation], input: input);
            var reference = await ExternalProgram.RunAsync(full, [.. arguments, .. fullLocation], input: input);
            var step = string.Join(' ', arguments);
            Assert.True(aot.ExitCode == reference.ExitCode, $"postino {step}: AOT exit {aot.ExitCode}, .NET exit {reference.ExitCode}: {aot.Stderr} / {reference.Stderr}");
            Assert.Equal($"{step}\n{reference.Stdout.Replace(fullPlace, "PLACE", StringComparison.Ordinal)}", $"{step}\n{aot.Stdout.Replace(aotPlace, "PLACE", StringComparison.Ordinal)}");
            var (aotError, referenceError) = firstErrorLine ? (aot.Stderr.Split('\n')[0], reference.Stderr.Split('\n')[0]) : (aot.Stderr, reference.Stderr);
            Assert.Equal($"{step}\n{referenceError.Replace(fullPlace, "PLACE", StringComparison.Ordinal)}", $"{step}\n{aotError.Replace(aotPlace, "PLACE", StringComparison.Ordinal)}");
        }
    }
}
