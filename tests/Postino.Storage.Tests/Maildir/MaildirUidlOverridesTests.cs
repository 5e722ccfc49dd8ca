using Postino.Storage.Maildir;

namespace Postino.Storage.Tests.Maildir;

public sealed class MaildirUidlOverridesTests : IDisposable
{
    private readonly MaildirFixture _fixture = new();

    public void Dispose() => _fixture.Dispose();

    [Fact]
    public async Task Imported_uidls_apply_to_messages_the_index_does_not_know_and_bad_lines_are_skipped_with_a_warning()
    {
        _fixture.WriteForeign("cur", "1700000000.M1P1.old:2,S", "Subject: a\n\na\n");
        _fixture.WriteForeign("cur", "1700000001.M2P1.old:2,", "Subject: b\n\nb\n");
        await File.WriteAllTextAsync(
            Path.Combine(_fixture.Maildir, MaildirUidlOverrides.FileName),
            "postino-uidls 1\n1700000000.M1P1.old\t000000016b149f04\nno tab here\nbad/name\tx\n1700000001.M2P1.old\tspace inside\n");

        var messages = await _fixture.SnapshotAsync();

        Assert.Equal(["000000016b149f04", "1700000001.M2P1.old"], messages.Select(m => m.Uidl));
        Assert.Equal(3, _fixture.Logger.Entries.Count(e => e.Message.Contains(MaildirUidlOverrides.FileName, StringComparison.Ordinal)));
    }

    [Fact]
    public async Task A_message_already_indexed_keeps_its_uidl()
    {
        _fixture.WriteForeign("cur", "1700000000.M1P1.old:2,", "Subject: a\n\na\n");
        var before = await _fixture.SnapshotAsync();
        await MaildirUidlOverrides.SaveAsync(
            _fixture.Maildir, new Dictionary<string, string> { ["1700000000.M1P1.old"] = "other" }, CancellationToken.None);
        File.SetLastWriteTimeUtc(_fixture.Cur, DateTime.UtcNow.AddMinutes(1));

        Assert.Equal(before.Select(m => m.Uidl), (await _fixture.SnapshotAsync()).Select(m => m.Uidl));
        Assert.Equal("other", MaildirUidlOverrides.Load(_fixture.Maildir)["1700000000.M1P1.old"]);
    }
}
