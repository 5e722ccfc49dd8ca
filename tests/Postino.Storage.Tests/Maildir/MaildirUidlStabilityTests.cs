using Microsoft.Extensions.Logging;
using Postino.Storage.Maildir;

namespace Postino.Storage.Tests.Maildir;

public sealed class MaildirUidlStabilityTests : IDisposable
{
    private readonly MaildirFixture _fixture = new();

    public void Dispose() => _fixture.Dispose();

    [Fact]
    public async Task Uidl_of_a_delivery_is_the_one_served_and_survives_a_restart()
    {
        var first = await _fixture.DeliverAsync("Subject: one\n\nbody\n");
        var second = await _fixture.DeliverAsync("Subject: two\n\nbody\n");

        var before = await _fixture.SnapshotAsync();
        _fixture.Restart();
        var after = await _fixture.SnapshotAsync();

        Assert.Equal([first.Uidl, second.Uidl], before.Select(m => m.Uidl));
        Assert.Equal(before.Select(m => m.Uidl), after.Select(m => m.Uidl));
        Assert.Empty(Directory.GetFiles(_fixture.New));
    }

    [Fact]
    public async Task Uidls_survive_deletion_of_other_messages_and_flag_changes()
    {
        for (var i = 0; i < 5; i++)
        {
            await _fixture.DeliverAsync($"Subject: {i}\n\nbody {i}\n");
        }

        var original = await _fixture.SnapshotAsync();
        await using (var maildrop = await _fixture.Store.OpenAsync(MaildirFixture.User, null, CancellationToken.None))
        {
            maildrop.MarkDeleted(1);
            maildrop.MarkRetrieved(2);
            await maildrop.CommitAsync(CancellationToken.None);
        }

        // Another Maildir reader flags a message (renames it) between sessions.
        var other = Directory.GetFiles(_fixture.Cur).Single(f => Path.GetFileName(f).StartsWith(original[3].StorageId, StringComparison.Ordinal));
        File.Move(other, other + "FR");

        var after = await _fixture.SnapshotAsync();
        Assert.Equal(
            new[] { original[0], original[2], original[3], original[4] }.Select(m => m.Uidl),
            after.Select(m => m.Uidl));
    }

    [Theory]
    [InlineData("deleted")]
    [InlineData("garbage")]
    [InlineData("truncated")]
    [InlineData("bit-flip")]
    [InlineData("duplicate")]
    [InlineData("duplicate-uidl")]
    public async Task A_lost_or_corrupt_index_is_rebuilt_with_the_same_uidls_and_a_warning(string damage)
    {
        await _fixture.DeliverAsync("Subject: a\n\nbody\n");
        _fixture.WriteForeign("new", "1700000000.V801I2a3M123456.mx.example", "Subject: postfix\n\nbody\n");
        _fixture.WriteForeign("cur", "1700000100.M5P6.dovecot.example,S=20,W=22:2,S", "Subject: dovecot\n\nx\n");
        var original = await _fixture.SnapshotAsync();

        var bytes = File.ReadAllBytes(_fixture.IndexPath);
        var entries = (await MaildirIndexFile.LoadAsync(_fixture.Maildir, CancellationToken.None)).Ordered.ToList();
        switch (damage)
        {
            case "deleted":
                File.Delete(_fixture.IndexPath);
                break;
            case "garbage":
                File.WriteAllText(_fixture.IndexPath, "\0\0not an index\n");
                break;
            case "truncated":
                File.WriteAllBytes(_fixture.IndexPath, bytes[..^10]);
                break;
            case "bit-flip":
                bytes[bytes.Length / 2] ^= 0x10;
                File.WriteAllBytes(_fixture.IndexPath, bytes);
                break;
            case "duplicate":
                await MaildirIndexFile.SaveAsync(_fixture.Maildir, [entries[0], entries[0], .. entries[1..]], CancellationToken.None);
                break;
            case "duplicate-uidl":
                await MaildirIndexFile.SaveAsync(_fixture.Maildir, [entries[0], entries[1] with { Uidl = entries[0].Uidl }, .. entries[2..]], CancellationToken.None);
                break;
        }

        _fixture.Restart();
        var rebuilt = await _fixture.SnapshotAsync();

        Assert.Equal(3, rebuilt.Count);
        Assert.Equal(original, rebuilt);
        Assert.Equal(damage != "deleted", _fixture.Logger.Entries.Any(e => e.Level == LogLevel.Warning && e.Message.Contains("rebuilding", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Uidls_are_unique_and_printable_and_at_most_70_characters()
    {
        await _fixture.DeliverAsync("Subject: ours\n\nbody\n");
        _fixture.WriteForeign("cur", "1700000000.same.host,S=1:2,", "x");
        _fixture.WriteForeign("cur", "1700000000.same.host,S=2:2,", "y");
        _fixture.WriteForeign("cur", "1700000001." + new string('l', 100) + ":2,", "long name\n");
        _fixture.WriteForeign("cur", "1700000002.sp ace.host:2,", "space in name\n");

        var messages = await _fixture.SnapshotAsync();

        Assert.Equal(5, messages.Count);
        Assert.Equal(5, messages.Select(m => m.Uidl).Distinct(StringComparer.Ordinal).Count());
        Assert.All(messages, m => Assert.InRange(m.Uidl.Length, 1, 70));
        Assert.All(messages, m => Assert.All(m.Uidl, c => Assert.InRange(c, '!', '~')));
    }
}
