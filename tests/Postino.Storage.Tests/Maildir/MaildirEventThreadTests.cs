using System.Runtime.Versioning;
using System.Text;
using Postino.Storage.Files;
using Postino.Storage.Threading;
using Postino.Testing;

namespace Postino.Storage.Tests.Maildir;

/// <summary>
/// A login and RETR from a socket's event thread (<see cref="OffEventLoop"/>): a mailbox whose names the kernel has
/// cached, and a message it has cached, are opened and read right there; new mail to move, a listing, a read that would
/// need the disk, or a message no longer where the snapshot saw it, are done on a pool thread, whole. The event thread
/// is played by a thread of the test's own (<see cref="OwnThread"/>).
/// </summary>
[SupportedOSPlatform("linux")]
public sealed class MaildirEventThreadTests : IDisposable
{
    private readonly MaildirFixture _fixture = new();

    public void Dispose() => _fixture.Dispose();

    [Fact]
    public async Task A_warm_mailbox_opens_on_the_event_thread_itself()
    {
        await _fixture.DeliverAsync("Subject: warm\n\nbody\n");
        await SettleAsync();

        var (completed, count, _) = await OpenFromEventThreadAsync();

        Assert.True(completed, "the open of a warm mailbox moved off the event thread");
        Assert.Equal(1, count);
    }

    [Fact]
    public async Task New_mail_is_moved_and_listed_on_a_pool_thread()
    {
        await _fixture.DeliverAsync("Subject: first\n\nbody\n");
        await SettleAsync();
        await _fixture.DeliverAsync("Subject: second\n\nbody\n");

        var (completed, count, poolThread) = await OpenFromEventThreadAsync();

        Assert.False(completed, "new mail was moved on the event thread");
        Assert.True(poolThread);
        Assert.Equal(2, count);
        Assert.Empty(Directory.GetFiles(_fixture.New));
    }

    [Fact]
    public async Task A_mailbox_never_opened_moves_to_a_pool_thread()
    {
        await _fixture.DeliverAsync("Subject: first login\n\nbody\n");

        var (completed, count, _) = await OpenFromEventThreadAsync();

        Assert.False(completed, "a first open (no index, no lock file yet) ran on the event thread");
        Assert.Equal(1, count);
    }

    [Fact]
    public async Task A_cached_message_is_opened_and_read_on_the_event_thread_itself()
    {
        await _fixture.DeliverAsync("Subject: cached\n\nbody\n");
        await using var maildrop = await _fixture.Store.OpenAsync(MaildirFixture.User, null, CancellationToken.None);
        var expected = await File.ReadAllBytesAsync(Assert.Single(Directory.GetFiles(_fixture.Cur)));

        var (opened, read, bytes) = await OwnThread.Run(() =>
        {
            var open = maildrop.OpenMessageAsync(0, CancellationToken.None);
            var opened = open.IsCompletedSuccessfully;
            using var stream = open.AsTask().GetAwaiter().GetResult();
            var buffer = new byte[64 * 1024];
            var first = stream.ReadAsync(buffer);
            var read = first.IsCompletedSuccessfully;
            var count = first.AsTask().GetAwaiter().GetResult();
            return Task.FromResult((opened, read, buffer[..count]));
        });

        Assert.True(opened, "the open did not complete on the event thread");
        Assert.True(read, "the read did not complete on the event thread");
        Assert.Equal(expected, bytes);
    }

    [Fact]
    public async Task A_read_from_the_event_thread_takes_only_what_the_page_cache_holds()
    {
        await _fixture.DeliverAsync("Subject: cold\n\nbody\n");
        await using var maildrop = await _fixture.Store.OpenAsync(MaildirFixture.User, null, CancellationToken.None);
        var file = Assert.Single(Directory.GetFiles(_fixture.Cur));
        var length = new FileInfo(file).Length;
        var buffer = new byte[4096];

        using (var cached = new FixedLengthFileStream(File.OpenHandle(file), length))
        {
            Assert.Equal((int)length, cached.TryReadCached(buffer));
        }

        Assert.True(PageCache.Evict(file), "the file could not be taken out of the page cache");
        using var cold = new FixedLengthFileStream(File.OpenHandle(file), length);
        Assert.Null(cold.TryReadCached(buffer));
        Assert.Equal(0, cold.Position);
    }

    [Fact]
    public async Task A_message_out_of_the_page_cache_is_read_whole_from_the_event_thread()
    {
        var text = "Subject: cold\n\n" + string.Concat(Enumerable.Repeat("a line of the message body\n", 20_000));
        await _fixture.DeliverAsync(text);
        await using var maildrop = await _fixture.Store.OpenAsync(MaildirFixture.User, null, CancellationToken.None);
        var file = Assert.Single(Directory.GetFiles(_fixture.Cur));
        var expected = await File.ReadAllBytesAsync(file);
        Assert.True(PageCache.Evict(file), "the file could not be taken out of the page cache");

        var bytes = await OwnThread.Run(async () =>
        {
            await using var stream = await maildrop.OpenMessageAsync(0, CancellationToken.None);
            var copy = new MemoryStream();
            await stream.CopyToAsync(copy);
            return copy.ToArray();
        });

        Assert.Equal(expected, bytes);
    }

    [Fact]
    public async Task A_message_renamed_by_another_reader_is_found_again_from_the_event_thread()
    {
        await _fixture.DeliverAsync("Subject: renamed\n\nbody\n");
        await using var maildrop = await _fixture.Store.OpenAsync(MaildirFixture.User, null, CancellationToken.None);
        var file = Assert.Single(Directory.GetFiles(_fixture.Cur));
        var expected = await File.ReadAllTextAsync(file);
        File.Move(file, file + "S");

        var text = await OwnThread.Run(async () =>
        {
            // The cached open finds no file by the snapshot's name, and leaves the search of cur/ to a pool thread.
            Assert.Null(PrivateFiles.TryOpenMessageCached(Path.GetDirectoryName(_fixture.Cur), "cur/" + Path.GetFileName(file)));
            await using var stream = await maildrop.OpenMessageAsync(0, CancellationToken.None);
            using var reader = new StreamReader(stream, Encoding.UTF8);
            return await reader.ReadToEndAsync();
        });

        Assert.Equal(expected, text);
    }

    /// <summary>
    /// Opens the inbox from an event thread: whether the open completed there, the messages it has, and whether the
    /// session went on on a pool thread.
    /// </summary>
    private Task<(bool Completed, int Count, bool OnPoolThread)> OpenFromEventThreadAsync() => OwnThread.Run(async () =>
    {
        var open = _fixture.Store.OpenAsync(MaildirFixture.User, null, CancellationToken.None);
        var completed = open.IsCompletedSuccessfully;
        await using var maildrop = await open;
        return (completed, maildrop.Messages.Count, Thread.CurrentThread.IsThreadPoolThread);
    });

    /// <summary>
    /// One open with the folders' times set back beyond the index's safety margin, so that the index it writes is
    /// trusted by the next open (no listing), as for a mailbox that has not changed for a while.
    /// </summary>
    private async Task SettleAsync()
    {
        await using (await _fixture.Store.OpenAsync(MaildirFixture.User, null, CancellationToken.None))
        {
        }

        var past = DateTime.UtcNow.AddMinutes(-10);
        Directory.SetLastWriteTimeUtc(_fixture.New, past);
        Directory.SetLastWriteTimeUtc(_fixture.Cur, past);
        await using (await _fixture.Store.OpenAsync(MaildirFixture.User, null, CancellationToken.None))
        {
        }
    }
}
