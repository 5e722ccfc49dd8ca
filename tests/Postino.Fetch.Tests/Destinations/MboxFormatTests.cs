using System.Text;
using Postino.Fetch.Destinations;
using Postino.Fetch.Durability;

namespace Postino.Fetch.Tests.Destinations;

public class MboxFormatTests
{
    [Fact]
    public async Task From_lines_are_quoted_mboxrd_style_and_the_message_ends_with_an_empty_line()
    {
        using var source = new MemoryStream(Encoding.UTF8.GetBytes("Subject: x\n\nFrom me\n>From you\n>>From them\nFrom: not at start\nnoeol"));
        using var output = new MemoryStream();

        await MboxDestination.FormatAsync(source, output, new DateTimeOffset(2026, 2, 3, 4, 5, 6, TimeSpan.Zero), CancellationToken.None);

        Assert.Equal(
            "From MAILER-DAEMON Tue Feb 3 04:05:06 2026\nSubject: x\n\n>From me\n>>From you\n>>>From them\nFrom: not at start\nnoeol\n\n",
            Encoding.UTF8.GetString(output.ToArray()));
    }

    [Fact]
    public async Task Tail_marker_recognises_the_last_append_and_nothing_else()
    {
        using var dir = new TempDirectory();
        var path = dir.Combine("box");
        var mbox = new MboxDestination(path);

        string? marker;
        await using (var pending = await mbox.BeginAsync(CancellationToken.None))
        {
            await pending.Content.WriteAsync(Encoding.UTF8.GetBytes("Subject: a\r\n\r\nbody\r\n"));
            marker = await pending.PrepareAsync(CancellationToken.None);
            Assert.False(await mbox.WasDeliveredAsync(marker!, CancellationToken.None));
            await pending.CommitAsync(CancellationToken.None);
        }

        Assert.True(await mbox.WasDeliveredAsync(marker!, CancellationToken.None));
        Assert.False(await mbox.WasDeliveredAsync("12:" + new string('0', 64), CancellationToken.None));
        Assert.EndsWith("Subject: a\n\nbody\n\n", await File.ReadAllTextAsync(path), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public async Task Crlf_to_lf_handles_a_cr_split_from_its_lf_at_any_write_size(int writeSize)
    {
        var input = Encoding.UTF8.GetBytes("a\r\nb\r\r\nc\rd\r\n\r\n");
        using var output = new MemoryStream();
        var converter = new CrLfToLfStream(output);

        for (var i = 0; i < input.Length; i += writeSize)
        {
            await converter.WriteAsync(input.AsMemory(i, Math.Min(writeSize, input.Length - i)));
        }

        await converter.CompleteAsync(CancellationToken.None);
        Assert.Equal("a\nb\r\nc\rd\n\n", Encoding.UTF8.GetString(output.ToArray()));
    }
}
