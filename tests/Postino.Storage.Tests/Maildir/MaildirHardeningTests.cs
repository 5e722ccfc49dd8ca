using System.Diagnostics;
using System.Runtime.Versioning;
using Microsoft.Extensions.Logging;
using Postino.Storage.Files;
using Postino.Storage.Maildir;

namespace Postino.Storage.Tests.Maildir;

/// <summary>
/// What a local user, or a foreign delivery agent, can put in a Maildir: links, FIFOs, lying sizes, names with control
/// characters. None of it may leak a file, hang a login, break the index or make a total negative.
/// </summary>
[SupportedOSPlatform("linux")]
public sealed class MaildirHardeningTests : IDisposable
{
    private readonly MaildirFixture _fixture = new();

    public void Dispose() => _fixture.Dispose();

    [Fact]
    public async Task Delivery_creates_folders_0700_and_files_0600_whatever_the_umask()
    {
        await _fixture.DeliverAsync("Subject: modes\n\nbody\n");
        await (await _fixture.Store.OpenAsync(MaildirFixture.User, null, CancellationToken.None)).DisposeAsync();

        foreach (var folder in new[] { _fixture.Maildir, _fixture.Cur, _fixture.New, _fixture.Tmp })
        {
            Assert.Equal(PrivateFiles.FolderMode, File.GetUnixFileMode(folder));
        }

        Assert.Equal(PrivateFiles.FileMode, File.GetUnixFileMode(Assert.Single(Directory.GetFiles(_fixture.Cur))));
        Assert.Equal(PrivateFiles.FileMode, File.GetUnixFileMode(_fixture.IndexPath));
        Assert.Equal(PrivateFiles.FileMode, File.GetUnixFileMode(Path.Combine(_fixture.DataDirectory, MaildirLockFile.FileName)));
    }

    [Fact]
    public async Task A_symlink_in_cur_is_skipped_with_a_warning_and_never_served()
    {
        await _fixture.DeliverAsync("Subject: real\n\nbody\n");
        var secret = WriteSecret();
        _fixture.WriteForeign("cur", "placeholder", "");
        File.Delete(Path.Combine(_fixture.Cur, "placeholder"));
        File.CreateSymbolicLink(Path.Combine(_fixture.Cur, "1700000001.M2P2.evil,S=11,W=12:2,"), secret);

        await using var maildrop = await _fixture.Store.OpenAsync(MaildirFixture.User, null, CancellationToken.None);

        var message = Assert.Single(maildrop.Messages);
        Assert.Contains("Subject: real", await MaildirFixture.ReadAllAsync(maildrop, 0), StringComparison.Ordinal);
        Assert.Contains(_fixture.Logger.Entries, e => e.Level == LogLevel.Warning && e.Message.Contains("a symbolic link", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_message_swapped_for_a_symlink_after_the_snapshot_is_refused_at_open()
    {
        await _fixture.DeliverAsync("Subject: real\n\nbody\n");
        await using var maildrop = await _fixture.Store.OpenAsync(MaildirFixture.User, null, CancellationToken.None);
        var file = Assert.Single(Directory.GetFiles(_fixture.Cur));
        File.Delete(file);
        File.CreateSymbolicLink(file, WriteSecret());

        await Assert.ThrowsAsync<StorageException>(() => maildrop.OpenMessageAsync(0, CancellationToken.None).AsTask());
    }

    [Fact]
    public async Task A_cur_folder_swapped_for_a_symlink_after_the_snapshot_serves_nothing_from_it()
    {
        await _fixture.DeliverAsync("Subject: real\n\nbody\n");
        await using var maildrop = await _fixture.Store.OpenAsync(MaildirFixture.User, null, CancellationToken.None);
        var name = Path.GetFileName(Assert.Single(Directory.GetFiles(_fixture.Cur)));
        var elsewhere = Directory.CreateDirectory(Path.Combine(_fixture.Maildir, "..", "elsewhere")).FullName;
        File.WriteAllText(Path.Combine(elsewhere, name), "Subject: not yours\n\nsecret\n");
        Directory.Move(_fixture.Cur, _fixture.Cur + ".moved");
        Directory.CreateSymbolicLink(_fixture.Cur, elsewhere);

        var refused = await Assert.ThrowsAsync<StorageException>(() => maildrop.OpenMessageAsync(0, CancellationToken.None).AsTask());
        Assert.Contains("symbolic link", refused.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_cur_folder_that_is_a_symlink_at_login_lists_no_message_and_warns()
    {
        await _fixture.DeliverAsync("Subject: real\n\nbody\n");
        await (await _fixture.Store.OpenAsync(MaildirFixture.User, null, CancellationToken.None)).DisposeAsync();
        var elsewhere = Path.Combine(_fixture.Maildir, "..", "elsewhere");
        Directory.Move(_fixture.Cur, elsewhere);
        File.Delete(_fixture.IndexPath);
        Directory.CreateSymbolicLink(_fixture.Cur, Path.GetFullPath(elsewhere));

        await using var maildrop = await _fixture.Store.OpenAsync(MaildirFixture.User, null, CancellationToken.None);

        Assert.Empty(maildrop.Messages);
        Assert.Contains(_fixture.Logger.Entries, e => e.Level == LogLevel.Warning && e.Message.Contains("in place of the folder", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_fifo_in_cur_neither_hangs_the_login_nor_becomes_a_message()
    {
        await _fixture.DeliverAsync("Subject: real\n\nbody\n");
        await RunAsync("mkfifo", Path.Combine(_fixture.Cur, "1700000003.M4P4.fifo"));

        await using var maildrop = await _fixture.Store.OpenAsync(MaildirFixture.User, null, CancellationToken.None);

        Assert.Single(maildrop.Messages);
        Assert.Contains(_fixture.Logger.Entries, e => e.Level == LogLevel.Warning && e.Message.Contains("not a regular file", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_wire_size_in_a_name_that_the_file_cannot_have_is_ignored_and_measured()
    {
        _fixture.WriteForeign("cur", "1700000000.M1P2.evil,S=4,W=9223372036854775807:2,", "x\ny\n");
        _fixture.WriteForeign("cur", "1700000001.M1P3.evil,W=1:2,", "longer than one octet\n");

        var messages = await _fixture.SnapshotAsync();

        Assert.Equal([6L, 23L], messages.Select(m => m.Size));
        Assert.Equal(2, _fixture.Store.MessageFileOpens);
    }

    [Fact]
    public async Task A_name_with_a_newline_is_skipped_and_the_index_stays_sound()
    {
        await _fixture.DeliverAsync("Subject: real\n\nbody\n");
        _fixture.WriteForeign("cur", "1700000002.M1P2.evil\nX\t1\t2\t-\tforged:2,", "x\n");

        var first = await _fixture.SnapshotAsync();
        _fixture.Restart();
        var second = await _fixture.SnapshotAsync();

        Assert.Single(first);
        Assert.Equal(first, second);
        Assert.Contains(_fixture.Logger.Entries, e => e.Message.Contains("control characters", StringComparison.Ordinal) && e.Message.Contains("\\x0a", StringComparison.Ordinal));
        Assert.DoesNotContain(_fixture.Logger.Entries, e => e.Message.Contains("corrupt", StringComparison.Ordinal));
        Assert.DoesNotContain("forged", await File.ReadAllTextAsync(_fixture.IndexPath), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_symlinked_lock_file_is_not_followed()
    {
        await (await _fixture.Store.OpenAsync(MaildirFixture.User, null, CancellationToken.None)).DisposeAsync();
        var lockPath = Path.Combine(_fixture.DataDirectory, MaildirLockFile.FileName);
        var target = Path.Combine(_fixture.DataDirectory, "not-to-be-created");
        File.Delete(lockPath);
        File.CreateSymbolicLink(lockPath, target);

        // A new store (a restart) opens the lock file again, and must not open it through the link.
        await Assert.ThrowsAsync<StorageException>(() => _fixture.Restart().OpenAsync(MaildirFixture.User, null, CancellationToken.None).AsTask());

        Assert.False(File.Exists(target));
    }

    [Fact]
    public async Task A_symlinked_index_is_not_read_and_is_replaced_by_a_real_one()
    {
        await _fixture.DeliverAsync("Subject: real\n\nbody\n");
        File.CreateSymbolicLink(_fixture.IndexPath, WriteSecret());

        Assert.Single(await _fixture.SnapshotAsync());

        Assert.Equal(FileAttributes.None, File.GetAttributes(_fixture.IndexPath) & FileAttributes.ReparsePoint);
        Assert.Equal("TOP SECRET\n", await File.ReadAllTextAsync(Path.Combine(_fixture.DataDirectory, "secret")));
    }

    [Theory]
    [InlineData(0L, 5L, 5L)]
    [InlineData(long.MaxValue - 1, 5L, long.MaxValue)]
    [InlineData(10L, long.MaxValue, long.MaxValue)]
    [InlineData(10L, -3L, 10L)]
    public void Sums_of_sizes_saturate(long total, long size, long expected) =>
        Assert.Equal(expected, SaturatingSum.Add(total, size));

    /// <summary>A file only its owner may read, outside the Maildir: what a planted link points at.</summary>
    private string WriteSecret()
    {
        var path = Path.Combine(_fixture.DataDirectory, "secret");
        if (!File.Exists(path))
        {
            File.WriteAllText(path, "TOP SECRET\n");
            File.SetUnixFileMode(path, PrivateFiles.FileMode);
        }

        return path;
    }

    private static async Task RunAsync(string program, params string[] arguments)
    {
        using var process = Process.Start(program, arguments);
        await process.WaitForExitAsync();
        Assert.Equal(0, process.ExitCode);
    }
}
