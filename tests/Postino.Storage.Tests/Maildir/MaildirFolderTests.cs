using Postino.Storage.Maildir;

namespace Postino.Storage.Tests.Maildir;

public sealed class MaildirFolderTests : IDisposable
{
    private readonly MaildirFixture _fixture = new();

    public void Dispose() => _fixture.Dispose();

    [Theory]
    [InlineData(null)]
    [InlineData("INBOX")]
    [InlineData("inbox")]
    [InlineData("InBox")]
    public async Task Inbox_in_any_case_is_the_root(string? folder)
    {
        var delivery = await _fixture.DeliverAsync("Subject: root\n\nbody\n");

        await using var maildrop = await _fixture.Store.OpenAsync(MaildirFixture.User, folder, CancellationToken.None);

        Assert.Equal(delivery.Uidl, Assert.Single(maildrop.Messages).Uidl);
    }

    [Fact]
    public async Task A_maildir_plus_plus_subfolder_opens_with_its_own_messages_and_lock()
    {
        await _fixture.DeliverAsync("Subject: root\n\nbody\n");
        var work = Path.Combine(_fixture.Maildir, ".Work");
        foreach (var sub in new[] { "tmp", "new", "cur" })
        {
            Directory.CreateDirectory(Path.Combine(work, sub));
        }

        File.WriteAllText(Path.Combine(work, "cur", "1700000000.M1P1.host:2,S"), "Subject: work\n\nbody\n");

        await using var inbox = await _fixture.Store.OpenAsync(MaildirFixture.User, null, CancellationToken.None);
        await using var folder = await _fixture.Store.OpenAsync(MaildirFixture.User, "Work", CancellationToken.None);

        var message = Assert.Single(folder.Messages);
        Assert.Equal("1700000000.M1P1.host", message.Uidl);
        Assert.Contains("Subject: work", await MaildirFixture.ReadAllAsync(folder, 0), StringComparison.Ordinal);
        await ((MaildirMaildrop)folder).IndexWritten;
        Assert.True(File.Exists(Path.Combine(work, MaildirIndexFile.FileName)));
    }

    [Theory]
    [InlineData("Missing")]
    [InlineData("../Maildir")]
    [InlineData("a/b")]
    [InlineData("")]
    [InlineData(".hidden")]
    public async Task Missing_or_impossible_folders_are_not_found(string folder)
    {
        await _fixture.DeliverAsync("Subject: root\n\nbody\n");

        var error = await Assert.ThrowsAsync<MailboxNotFoundException>(() => _fixture.Store.OpenAsync(MaildirFixture.User, folder, CancellationToken.None).AsTask());

        Assert.Equal(folder, error.Folder);
    }

    [Fact]
    public async Task Opening_an_empty_inbox_creates_a_valid_maildir()
    {
        await using var maildrop = await _fixture.Store.OpenAsync(MaildirFixture.User, null, CancellationToken.None);

        Assert.Empty(maildrop.Messages);
        Assert.True(Directory.Exists(_fixture.Cur));
        Assert.True(Directory.Exists(_fixture.New));
        Assert.True(Directory.Exists(_fixture.Tmp));
    }
}
