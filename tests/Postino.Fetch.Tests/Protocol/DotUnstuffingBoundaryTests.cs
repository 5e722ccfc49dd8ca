using System.Text;
using Postino.Fetch.Pop3;
using Postino.Fetch.Tests.Support;

namespace Postino.Fetch.Tests.Protocol;

/// <summary>
/// RETR data replayed at every read size from 1 to longer than the whole reply, so that each stuffed dot, each CR LF
/// and the terminator are split at every possible position at least once.
/// </summary>
public class DotUnstuffingBoundaryTests
{
    private static readonly string[] WireLines =
    [
        "From: a@example.org",
        "Subject: .dots",
        "",
        "..",
        "...",
        "..\t.",
        ".. ",
        "a.",
        "",
        "..end",
    ];

    private const string Unstuffed = "From: a@example.org\r\nSubject: .dots\r\n\r\n.\r\n..\r\n.\t.\r\n. \r\na.\r\n\r\n.end\r\n";

    public static TheoryData<int> EverySize()
    {
        var sizes = new TheoryData<int>();
        for (var size = 1; size <= 110; size++)
        {
            sizes.Add(size);
        }

        return sizes;
    }

    [Theory]
    [MemberData(nameof(EverySize))]
    public async Task Retr_unstuffs_and_counts_exactly_at_every_read_size(int chunkSize)
    {
        var lines = new List<string> { "S: +OK hi", "C: RETR 1", "S: +OK" };
        lines.AddRange(WireLines.Select(l => "S: " + l));
        lines.AddRange(["S: .", "C: NOOP", "S: +OK after"]);
        var transcript = new TranscriptStream(lines, chunkSize);
        var ct = CancellationToken.None;
        await using var client = await Pop3Client.ConnectAsync(transcript, false, null, ct);

        using var message = new MemoryStream();
        var octets = await client.RetrieveAsync(1, message, ct);

        Assert.Equal(Unstuffed, Encoding.UTF8.GetString(message.ToArray()));
        Assert.Equal(Encoding.UTF8.GetByteCount(Unstuffed), octets);
        await client.NoopAsync(ct);
        Assert.True(transcript.IsComplete);
    }
}
