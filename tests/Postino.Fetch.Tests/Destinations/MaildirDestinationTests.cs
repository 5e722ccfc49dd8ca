using System.Runtime.Versioning;
using System.Text;
using Postino.Fetch.Destinations;

namespace Postino.Fetch.Tests.Destinations;

/// <summary>The Maildir destination is Storage's delivery: the same names and permissions as mail the server delivered.</summary>
[SupportedOSPlatform("linux")]
public class MaildirDestinationTests
{
    [Fact]
    public async Task Fetched_mail_gets_the_servers_size_fields_and_lf_line_ends()
    {
        using var dir = new TempDirectory();
        var destination = new MaildirDestination(dir.Combine("Maildir"));

        string? marker;
        await using (var pending = await destination.BeginAsync(CancellationToken.None))
        {
            await pending.Content.WriteAsync(Encoding.ASCII.GetBytes("Subject: a\r\n\r\nbody\r\n"));
            marker = await pending.PrepareAsync(CancellationToken.None);
            Assert.False(await destination.WasDeliveredAsync(marker!, CancellationToken.None));
            await pending.CommitAsync(CancellationToken.None);
        }

        // 17 octets stored (LF), 20 on the wire (CRLF): the ,S= and ,W= of MaildirDelivery, which the index reads.
        var file = Assert.Single(Directory.GetFiles(destination.NewDirectory));
        Assert.Equal($"{marker},S=17,W=20", Path.GetFileName(file));
        Assert.Equal("Subject: a\n\nbody\n", await File.ReadAllTextAsync(file));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
        Assert.Empty(Directory.GetFiles(dir.Combine("Maildir", "tmp")));
        Assert.True(await destination.WasDeliveredAsync(marker!, CancellationToken.None));
    }

    [Fact]
    public async Task A_message_a_reader_moved_to_cur_with_flags_still_counts_as_delivered()
    {
        using var dir = new TempDirectory();
        var destination = new MaildirDestination(dir.Combine("Maildir"));
        string? marker;
        await using (var pending = await destination.BeginAsync(CancellationToken.None))
        {
            await pending.Content.WriteAsync("x\r\n"u8.ToArray());
            marker = await pending.PrepareAsync(CancellationToken.None);
            await pending.CommitAsync(CancellationToken.None);
        }

        var delivered = Assert.Single(Directory.GetFiles(destination.NewDirectory));
        File.Move(delivered, Path.Combine(dir.Combine("Maildir", "cur"), Path.GetFileName(delivered) + ":2,S"));

        Assert.True(await destination.WasDeliveredAsync(marker!, CancellationToken.None));
        Assert.False(await destination.WasDeliveredAsync(marker![..^1], CancellationToken.None));
    }

    [Fact]
    public async Task A_delivery_disposed_before_commit_leaves_nothing()
    {
        using var dir = new TempDirectory();
        var destination = new MaildirDestination(dir.Combine("Maildir"));
        await using (var pending = await destination.BeginAsync(CancellationToken.None))
        {
            await pending.Content.WriteAsync("x\r\n"u8.ToArray());
            await pending.PrepareAsync(CancellationToken.None);
        }

        Assert.Empty(Directory.GetFiles(destination.NewDirectory));
        Assert.Empty(Directory.GetFiles(dir.Combine("Maildir", "tmp")));
    }
}
