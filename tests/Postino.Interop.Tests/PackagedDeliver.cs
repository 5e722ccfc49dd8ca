namespace Postino.Interop.Tests;

/// <summary>
/// The package's <c>postino deliver</c> (the launcher running the NativeAOT postino-deliver) against the package's
/// .NET <c>postino deliver</c>, as an MTA runs them: the same exit codes for a delivery, an unknown user, a mailbox
/// over quota, a bad configuration and a PostgreSQL store, and the delivered file fsynced, then renamed into
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

            // A PostgreSQL store: the AOT build execs the .NET deliver, whose lookup fails (nothing listens there).
            ("POSTINO__Store=postgresql://postino@127.0.0.1:1/none", "bob", 75, "Cannot look up user bob"),
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
        var exited = Array.FindLastIndex(calls, line => line.Contains("exit_group(0)", StringComparison.Ordinal));
        Assert.True(synced > renamed && exited > synced, string.Join('\n', calls));

        // A one-shot process must not start OpenSSL (4 MB and milliseconds): Maildir names take no RandomNumberGenerator.
        Assert.DoesNotContain(calls, line => line.Contains("libcrypto", StringComparison.Ordinal));
    }
}
