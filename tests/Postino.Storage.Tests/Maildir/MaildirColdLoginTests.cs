using System.Diagnostics;
using System.Runtime.Versioning;
using System.Text;
using Microsoft.Extensions.Logging;
using Postino.Protocols.Text;
using Postino.Storage.Files;
using Postino.Storage.Maildir;

namespace Postino.Storage.Tests.Maildir;

/// <summary>
/// The cold first login's two shortcuts: <c>cur/</c> listed with getdents64 (inode numbers, no stat per entry) and
/// untagged sizes measured in inode order through io_uring (<see cref="BatchedSizeReader"/>). Both must give exactly
/// what the portable paths give: the same names, the same skips, the same wire sizes, no link followed.
/// </summary>
[SupportedOSPlatform("linux")]
public sealed class MaildirColdLoginTests : IDisposable
{
    private readonly MaildirFixture _fixture = new();

    public void Dispose() => _fixture.Dispose();

    [Fact]
    public async Task The_getdents_listing_lists_what_the_portable_one_lists_with_the_inode_numbers()
    {
        _fixture.WriteForeign("cur", "1700000000.M1P1.host:2,S", "a\n");
        _fixture.WriteForeign("cur", "1700000001.M2P1.host", "b\n");
        _fixture.WriteForeign("cur", ".hidden-work", "c\n");
        _fixture.WriteForeign("cur", "1700000002.M3P1.ctl\u0001name", "d\n");
        _fixture.WriteForeign("cur", "1700000003.M4P1.host ünïcode:2,", "e\n");
        Assert.Equal(0, UnixNative.Link(Path.Combine(_fixture.Cur, "1700000001.M2P1.host"), Path.Combine(_fixture.Cur, "1700000004.M5P1.hardlink")));
        Directory.CreateDirectory(Path.Combine(_fixture.Cur, "a-directory"));
        File.CreateSymbolicLink(Path.Combine(_fixture.Cur, "1700000005.M6P1.link"), Path.Combine(_fixture.Cur, "1700000000.M1P1.host:2,S"));
        await RunAsync("mkfifo", Path.Combine(_fixture.Cur, "1700000006.M7P1.fifo"));

        // A name that is not UTF-8 (bash writes the raw byte): decoded the way .NET decodes every file name.
        await RunAsync("bash", "-c", $"printf x > '{_fixture.Cur}'/$'1700000007.M8P1.\\xff'");

        var skipped = new List<(string Name, string Reason)>();
        var listed = MaildirFolder.ListMessageEntries(_fixture.Cur, (name, reason) => skipped.Add((name, reason))).ToList();
        var portableSkipped = new List<(string Name, string Reason)>();
        var portable = MaildirFolder.FromEnumeration(_fixture.Cur, (name, reason) => portableSkipped.Add((name, reason))).ToList();

        Assert.True(DirectoryEntries.IsSupported);
        Assert.Equal(portable.Select(e => e.Name).Order(StringComparer.Ordinal), listed.Select(e => e.Name).Order(StringComparer.Ordinal));
        Assert.Equal(portableSkipped.Order(), skipped.Order());
        Assert.Contains(skipped, s => s.Reason == "a symbolic link");
        Assert.Contains(skipped, s => s.Reason == "control characters in its name");
        Assert.Equal(6, listed.Count);
        Assert.Contains(listed, e => e.Name == "1700000006.M7P1.fifo");
        Assert.Contains(listed, e => e.Name.StartsWith("1700000007.M8P1.", StringComparison.Ordinal));

        var inodes = listed.ToDictionary(e => e.Name, e => e.Inode, StringComparer.Ordinal);
        Assert.All(listed, e => Assert.NotEqual(0UL, e.Inode));
        Assert.Equal(inodes["1700000001.M2P1.host"], inodes["1700000004.M5P1.hardlink"]);
        Assert.Equal(5, inodes.Values.Distinct().Count());
    }

    [Fact]
    public void A_cur_folder_that_is_a_symlink_is_not_listed_by_getdents()
    {
        Directory.CreateDirectory(Path.Combine(_fixture.DataDirectory, "elsewhere"));
        File.WriteAllText(Path.Combine(_fixture.DataDirectory, "elsewhere", "1700000000.M1P1.host"), "secret\n");
        var link = Path.Combine(_fixture.DataDirectory, "linked-cur");
        Directory.CreateSymbolicLink(link, Path.Combine(_fixture.DataDirectory, "elsewhere"));

        var refused = Assert.Throws<IOException>(() => DirectoryEntries.List(link));

        // O_DIRECTORY | O_NOFOLLOW on a link: ENOTDIR (ELOOP on some kernels); either way nothing behind it is listed.
        Assert.Contains(refused.HResult, new[] { UnixNative.ELOOP, 20 });
    }

    [Fact]
    public async Task Batched_sizes_are_the_wire_sizes_and_the_same_as_one_by_one()
    {
        var expected = new Dictionary<string, long>(StringComparer.Ordinal);
        var bodies = new List<string>
        {
            "",
            "no newline at all",
            "Subject: crlf\r\n\r\nbody\r\n",
            "Subject: bare\n\nbody\n",
            "Subject: cr at the end\n\nbody\r",
            new string('x', 16 * 1024 - 1) + "\n",
            new string('y', 16 * 1024) + "\n",
            string.Concat(Enumerable.Repeat("a line of a big message\n", 3000)),
        };
        for (var n = 0; n < 40; n++)
        {
            var text = n < bodies.Count ? bodies[n] : $"Subject: {n}\n\n" + string.Concat(Enumerable.Repeat("line\r\nbare\n", n));
            var baseName = $"{1700000000 + n}.V801I{n:x}M0.mx.example";
            _fixture.WriteForeign("cur", baseName + ":2,", text);
            expected[baseName] = await MeasureAsync(text);
        }

        // What must not become a message, batched or not: a FIFO and a link to a file outside the Maildir.
        await RunAsync("mkfifo", Path.Combine(_fixture.Cur, "1700000100.M1P1.fifo"));
        File.WriteAllText(Path.Combine(_fixture.DataDirectory, "secret"), "TOP SECRET\n");
        File.CreateSymbolicLink(Path.Combine(_fixture.Cur, "1700000101.M1P1.link"), Path.Combine(_fixture.DataDirectory, "secret"));

        var batched = await SnapshotAsync(batchedReads: true);
        File.Delete(_fixture.IndexPath);
        var oneByOne = await SnapshotAsync(batchedReads: false);

        Assert.Equal(40, batched.Count);
        Assert.All(batched, m => Assert.Equal(expected[m.StorageId], m.Size));
        Assert.Equal(oneByOne, batched);

        // 41 files to read (the FIFO included; the listing already skipped the link): 38 in the ring; the two over a
        // slot and the FIFO went to the one-by-one path, which read the two and refused the FIFO with its warning.
        // Where the kernel refuses io_uring (a container's seccomp filter), everything takes the one-by-one path.
        var expectedSplit = IoUringAvailable() ? "38 of 41 sizes measured through io_uring, 3 left" : "0 of 41 sizes measured through io_uring, 41 left";
        Assert.Contains(_fixture.Logger.Entries, e => e.Message.Contains(expectedSplit, StringComparison.Ordinal));
        Assert.Contains(_fixture.Logger.Entries, e => e.Level == LogLevel.Warning && e.Message.Contains("a symbolic link", StringComparison.Ordinal));
        Assert.Contains(_fixture.Logger.Entries, e => e.Level == LogLevel.Warning && e.Message.Contains("not a regular file", StringComparison.Ordinal));
    }

    [Fact]
    public void The_batched_reader_marks_gone_files_and_leaves_large_or_odd_ones_to_the_caller()
    {
        _fixture.WriteForeign("cur", "small", "Subject: s\n\nbody\n");
        _fixture.WriteForeign("cur", "large", new string('z', 64 * 1024));
        Directory.CreateDirectory(Path.Combine(_fixture.Cur, "directory"));
        File.CreateSymbolicLink(Path.Combine(_fixture.Cur, "link"), Path.Combine(_fixture.Cur, "small"));
        string[] names = ["small", "gone", "large", "directory", "link"];
        var sizes = new long[names.Length];
        var outcomes = new BatchedSizeReader.Outcome[names.Length];
        var files = new MessageFileReader();

        var batched = BatchedSizeReader.TryMeasure(_fixture.Maildir, names, sizes, outcomes, files, CancellationToken.None);

        // Without io_uring (a container's seccomp filter) nothing is done and everything is the caller's.
        Assert.Equal(IoUringAvailable(), batched);
        if (!batched)
        {
            Assert.All(outcomes, o => Assert.Equal(BatchedSizeReader.Outcome.Pending, o));
            return;
        }

        Assert.Equal(
            [BatchedSizeReader.Outcome.Measured, BatchedSizeReader.Outcome.Gone, BatchedSizeReader.Outcome.Pending, BatchedSizeReader.Outcome.Pending, BatchedSizeReader.Outcome.Pending],
            outcomes);
        Assert.Equal(Encoding.ASCII.GetByteCount("Subject: s\r\n\r\nbody\r\n"), sizes[0]);
    }

    [Fact]
    public void The_batched_reader_refuses_a_cur_folder_that_is_a_symlink()
    {
        var elsewhere = Directory.CreateDirectory(Path.Combine(_fixture.DataDirectory, "elsewhere")).FullName;
        File.WriteAllText(Path.Combine(elsewhere, "message"), "secret\n");
        Directory.CreateDirectory(_fixture.Maildir);
        Directory.CreateSymbolicLink(_fixture.Cur, elsewhere);
        var outcomes = new BatchedSizeReader.Outcome[1];

        Assert.False(BatchedSizeReader.TryMeasure(_fixture.Maildir, ["message"], new long[1], outcomes, new MessageFileReader(), CancellationToken.None));
        Assert.Equal(BatchedSizeReader.Outcome.Pending, outcomes[0]);
    }

    [Fact]
    public async Task A_first_login_writes_its_index_after_answering_and_before_the_lock_goes()
    {
        for (var n = 0; n < 20; n++)
        {
            _fixture.WriteForeign("cur", $"{1700000000 + n}.V801I{n:x}M0.mx.example:2,", $"Subject: {n}\n\nbody\n");
        }

        var maildrop = await _fixture.Store.OpenAsync(MaildirFixture.User, null, CancellationToken.None);
        var messages = maildrop.Messages.ToList();
        var write = ((MaildirMaildrop)maildrop).IndexWritten;
        await maildrop.DisposeAsync();

        // Disposing waited for the write: the file is there, and the next session may take the lock.
        Assert.True(write.IsCompletedSuccessfully);
        Assert.True(File.Exists(_fixture.IndexPath));
        _fixture.Restart();
        Assert.Equal(messages, await _fixture.SnapshotAsync());
        Assert.Equal(0, _fixture.Store.MessageFileOpens);
    }

    [Fact]
    public async Task A_crash_before_the_index_is_written_only_means_the_next_login_measures_again()
    {
        for (var n = 0; n < 3; n++)
        {
            _fixture.WriteForeign("cur", $"{1700000000 + n}.V801I{n:x}M0.mx.example:2,", $"Subject: {n}\n\nbody\n");
        }

        await _fixture.SnapshotAsync();
        var before = await File.ReadAllBytesAsync(_fixture.IndexPath);
        for (var n = 3; n < 6; n++)
        {
            _fixture.WriteForeign("cur", $"{1700000000 + n}.V801I{n:x}M0.mx.example:2,", $"Subject: {n}\n\nlonger body {n}\n");
        }

        var expected = await _fixture.SnapshotAsync();

        // As if the process had died before the new index reached the disk: the old one (or none) is what is left.
        await File.WriteAllBytesAsync(_fixture.IndexPath, before);
        _fixture.Restart();
        Assert.Equal(expected, await _fixture.SnapshotAsync());
        File.Delete(_fixture.IndexPath);
        _fixture.Restart();
        Assert.Equal(expected, await _fixture.SnapshotAsync());
        Assert.Equal(6, _fixture.Store.MessageFileOpens);
    }

    private static bool IoUringAvailable()
    {
        using var ring = IoUring.TryCreate(8, out _);
        return ring is not null;
    }

    private async Task<List<MessageInfo>> SnapshotAsync(bool batchedReads)
    {
        var store = new MaildirStore(_fixture.Options, time: _fixture.Time, logger: _fixture.Logger) { BatchedReads = batchedReads };
        await using var maildrop = await store.OpenAsync(MaildirFixture.User, null, CancellationToken.None);
        return [.. maildrop.Messages];
    }

    private static async Task<long> MeasureAsync(string text)
    {
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(text));
        return await MessageEncoder.MeasureAsync(stream, CancellationToken.None);
    }

    private static async Task RunAsync(string program, params string[] arguments)
    {
        using var process = Process.Start(program, arguments);
        await process.WaitForExitAsync();
        Assert.Equal(0, process.ExitCode);
    }
}
