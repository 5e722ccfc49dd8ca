using System.Diagnostics;
using Postino.Storage.Maildir;

namespace Postino.Storage.Tests.Maildir;

public sealed class MaildirLockTests : IDisposable
{
    private readonly MaildirFixture _fixture = new();

    public void Dispose() => _fixture.Dispose();

    private string MaildirLockPath => Path.Combine(_fixture.Maildir, MaildirLock.FileName);

    private string LockFilePath => Path.Combine(_fixture.DataDirectory, MaildirLockFile.FileName);

    private long MaildirOffset => MaildirLock.OffsetOf(MaildirLock.CanonicalPath(_fixture.Maildir));

    [Fact]
    public async Task A_second_open_in_the_same_process_is_refused_until_the_first_is_disposed()
    {
        var first = await _fixture.Store.OpenAsync(MaildirFixture.User, null, CancellationToken.None);

        await Assert.ThrowsAsync<MailboxInUseException>(() => _fixture.Store.OpenAsync(MaildirFixture.User, null, CancellationToken.None).AsTask());
        await Assert.ThrowsAsync<MailboxInUseException>(() => _fixture.Restart().OpenAsync(MaildirFixture.User, "inbox", CancellationToken.None).AsTask());

        await first.DisposeAsync();
        await using var again = await _fixture.Store.OpenAsync(MaildirFixture.User, null, CancellationToken.None);
        Assert.Empty(again.Messages);
    }

    [Fact]
    public async Task Another_process_holding_the_lock_excludes_us_and_a_kill_9_releases_it()
    {
        await (await _fixture.Store.OpenAsync(MaildirFixture.User, null, CancellationToken.None)).DisposeAsync();
        using var holder = StartOpenFileLock(LockFilePath, MaildirOffset, hold: true);
        Assert.Equal("locked", await holder.StandardOutput.ReadLineAsync());

        await Assert.ThrowsAsync<MailboxInUseException>(() => _fixture.Store.OpenAsync(MaildirFixture.User, null, CancellationToken.None).AsTask());

        holder.Kill(entireProcessTree: true);
        await holder.WaitForExitAsync();
        await using var maildrop = await _fixture.Store.OpenAsync(MaildirFixture.User, null, CancellationToken.None);
        Assert.Empty(maildrop.Messages);
    }

    [Fact]
    public async Task Our_lock_excludes_another_process()
    {
        await using (await _fixture.Store.OpenAsync(MaildirFixture.User, null, CancellationToken.None))
        {
            using var attempt = StartOpenFileLock(LockFilePath, MaildirOffset, hold: false);
            await attempt.WaitForExitAsync();
            Assert.Equal(1, attempt.ExitCode);
        }

        using var after = StartOpenFileLock(LockFilePath, MaildirOffset, hold: false);
        await after.WaitForExitAsync();
        Assert.Equal(0, after.ExitCode);
    }

    [Fact]
    public void Two_open_file_descriptions_of_the_lock_file_exclude_each_other_and_one_excludes_itself_through_its_table()
    {
        var first = new MaildirLockFile(LockFilePath);
        var second = new MaildirLockFile(LockFilePath);

        Assert.True(first.TryLock(42));
        Assert.False(first.TryLock(42));
        Assert.False(second.TryLock(42));
        Assert.True(second.TryLock(43));

        first.Unlock(42);
        Assert.True(second.TryLock(42));
        Assert.False(first.TryLock(42));
        Assert.Equal(0, first.Held);
        Assert.Equal(2, second.Held);
    }

    [Fact]
    public void Two_spellings_of_one_folder_lock_the_same_byte_and_two_folders_two_bytes()
    {
        Directory.CreateDirectory(_fixture.Maildir);
        var link = Path.Combine(_fixture.DataDirectory, "alias");
        Directory.CreateSymbolicLink(link, _fixture.Maildir);
        var dotted = Path.Combine(_fixture.Maildir, "..", "Maildir");
        var other = Path.Combine(_fixture.DataDirectory, "mail", "bob", "Maildir");
        Directory.CreateDirectory(other);

        Assert.Equal(MaildirOffset, MaildirLock.OffsetOf(MaildirLock.CanonicalPath(link)));
        Assert.Equal(MaildirOffset, MaildirLock.OffsetOf(MaildirLock.CanonicalPath(dotted)));
        Assert.NotEqual(MaildirOffset, MaildirLock.OffsetOf(MaildirLock.CanonicalPath(other)));
        Assert.InRange(MaildirOffset, 0, long.MaxValue - 1);

        var locks = new MaildirLockFile(LockFilePath);
        using var held = MaildirLock.TryAcquire(_fixture.Maildir, locks);
        Assert.NotNull(held);
        Assert.Null(MaildirLock.TryAcquire(link, locks));
        Assert.Null(MaildirLock.TryAcquire(dotted, new MaildirLockFile(LockFilePath)));
    }

    [Fact]
    public async Task Logged_in_sessions_hold_no_descriptor_of_their_own_only_the_stores_one_lock_file()
    {
        string[] users = [.. Enumerable.Range(0, 20).Select(i => $"user{i}")];
        var maildrops = new List<IMaildrop>();
        try
        {
            foreach (var user in users)
            {
                maildrops.Add(await _fixture.Store.OpenAsync(user, null, CancellationToken.None));
            }

            // A first login writes its index in the background (for a moment, one descriptor of its own).
            foreach (var maildrop in maildrops)
            {
                await ((MaildirMaildrop)maildrop).IndexWritten;
            }

            // Only descriptors into this fixture's folder: tests of other classes run in parallel in this process.
            Assert.Equal([LockFilePath], OpenDescriptorsUnder(_fixture.DataDirectory));
            Assert.Equal(users.Length, _fixture.Store.Locks.Held);
            await Assert.ThrowsAsync<MailboxInUseException>(() => _fixture.Store.OpenAsync("user7", null, CancellationToken.None).AsTask());
        }
        finally
        {
            foreach (var maildrop in maildrops)
            {
                await maildrop.DisposeAsync();
            }
        }

        Assert.Equal(0, _fixture.Store.Locks.Held);
        Assert.False(File.Exists(Path.Combine(_fixture.Maildir, MaildirLock.FileName)));
    }

    [Fact]
    public async Task Without_open_file_locks_the_per_maildir_flock_file_is_the_lock()
    {
        var locks = new MaildirLockFile(LockFilePath, openFileLocks: false);
        Directory.CreateDirectory(_fixture.Maildir);
        using (var held = MaildirLock.TryAcquire(_fixture.Maildir, locks))
        {
            Assert.NotNull(held);
            Assert.Null(MaildirLock.TryAcquire(_fixture.Maildir, new MaildirLockFile(LockFilePath, openFileLocks: false)));
            using var attempt = StartFlock($"--exclusive --nonblock {MaildirLockPath} true");
            await attempt.WaitForExitAsync();
            Assert.Equal(1, attempt.ExitCode);
        }

        using var holder = StartFlock($"--exclusive --nonblock {MaildirLockPath} /bin/sh -c 'echo locked; exec cat'");
        Assert.Equal("locked", await holder.StandardOutput.ReadLineAsync());
        Assert.Null(MaildirLock.TryAcquire(_fixture.Maildir, locks));
        holder.Kill(entireProcessTree: true);
        await holder.WaitForExitAsync();
        using var again = MaildirLock.TryAcquire(_fixture.Maildir, locks);
        Assert.NotNull(again);
        Assert.False(File.Exists(LockFilePath));
    }

    [Fact]
    public async Task A_delivery_goes_through_while_a_session_holds_the_lock()
    {
        await using var maildrop = await _fixture.Store.OpenAsync(MaildirFixture.User, null, CancellationToken.None);

        var delivery = await _fixture.DeliverAsync("Subject: while locked\n\nbody\n");

        Assert.Empty(maildrop.Messages);
        Assert.Single(Directory.GetFiles(_fixture.New));
        Assert.False(string.IsNullOrEmpty(delivery.Uidl));
    }

    /// <summary>
    /// Python's fcntl takes the same OFD lock on one byte of the lock file (its own open file description, in another
    /// process): with <paramref name="hold"/> it prints "locked" and keeps it until killed; otherwise it exits 0 when
    /// the byte was free and 1 when it was held.
    /// </summary>
    private static Process StartOpenFileLock(string lockFile, long offset, bool hold)
    {
        const string Script = """
            import fcntl, os, struct, sys
            fd = os.open(sys.argv[1], os.O_RDWR)
            try:
                fcntl.fcntl(fd, fcntl.F_OFD_SETLK, struct.pack("hhqqi4x", fcntl.F_WRLCK, 0, int(sys.argv[2]), 1, 0))
            except OSError:
                sys.exit(1)
            if sys.argv[3] == "hold":
                print("locked", flush=True)
                sys.stdin.read()
            """;
        var info = new ProcessStartInfo("python3", ["-c", Script, lockFile, offset.ToString(System.Globalization.CultureInfo.InvariantCulture), hold ? "hold" : "try"])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        return Process.Start(info) ?? throw new InvalidOperationException("python3 could not be started");
    }

    /// <summary>The files under <paramref name="folder"/> this process has open (/proc/self/fd).</summary>
    private static string[] OpenDescriptorsUnder(string folder) =>
    [
        .. new DirectoryInfo("/proc/self/fd").EnumerateFileSystemInfos()
            .Select(fd =>
            {
                try
                {
                    return fd.LinkTarget;
                }
                catch (IOException)
                {
                    return null; // closed meanwhile
                }
            })
            .OfType<string>()
            .Where(target => target.StartsWith(folder + "/", StringComparison.Ordinal))
            .Distinct(),
    ];

    /// <summary>
    /// util-linux flock(1) takes the same flock(2) lock .NET takes for FileShare.None. With --no-fork every program in
    /// the chain replaces the previous one, so the lock holder is this one process and killing it frees the lock.
    /// </summary>
    private static Process StartFlock(string arguments)
    {
        var info = new ProcessStartInfo("/bin/sh", ["-c", $"exec flock --no-fork {arguments}"])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        return Process.Start(info) ?? throw new InvalidOperationException("flock (util-linux) could not be started");
    }
}
