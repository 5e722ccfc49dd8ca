using System.Text;
using Postino.Server.Tests.Pop2.Support;

namespace Postino.Server.Tests.Pop2;

/// <summary>Replays every tests/transcripts/pop2/*.txt file at chunk sizes 1, 2, 3, 7, 64 and 512.</summary>
public sealed class Pop2TranscriptTests
{
    private static readonly int[] ChunkSizes = [1, 2, 3, 7, 64, 512];

    private static string Folder => Path.Combine(AppContext.BaseDirectory, "transcripts", "pop2");

    public static TheoryData<string, int> Cases()
    {
        var data = new TheoryData<string, int>();
        foreach (var file in Directory.GetFiles(Folder, "*.txt").Order(StringComparer.Ordinal))
        {
            foreach (var size in ChunkSizes)
            {
                data.Add(Path.GetFileName(file), size);
            }
        }

        return data;
    }

    [Fact]
    public void The_transcript_folder_is_not_empty()
    {
        Assert.True(Directory.GetFiles(Folder, "*.txt").Length >= 40);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Transcript_replays_byte_for_byte(string file, int chunkSize)
    {
        var transcript = Pop2Transcript.Load(Path.Combine(Folder, file));
        var bed = new Pop2TestBed();
        transcript.Arrange(bed);

        var (output, end) = await bed.RunAsync(transcript.Input, chunkSize);

        Assert.Equal(Encoding.UTF8.GetString(transcript.ExpectedOutput), Encoding.UTF8.GetString(output));
        Assert.Equal(transcript.ExpectedOutput, output);
        Assert.Equal(transcript.ExpectedEnd, end);
        Assert.Empty(transcript.CheckStore(bed));
    }
}
