using System.Text;

namespace Postino.Server.Tests.Pop3;

/// <summary>
/// Replays every tests/transcripts/pop3/*.txt file: pipelined (all client lines fed at once in chunks, one reply
/// stream compared) and in lockstep (each reply read before the next command), at chunk sizes 1, 2, 3, 7, 64, 512.
/// </summary>
public class TranscriptTests
{
    private static readonly int[] ChunkSizes = [1, 2, 3, 7, 64, 512];

    public static string Directory => Path.Combine(AppContext.BaseDirectory, "transcripts", "pop3");

    public static TheoryData<string, int, bool> Cases()
    {
        var data = new TheoryData<string, int, bool>();
        foreach (var file in System.IO.Directory.GetFiles(Directory, "*.txt").Order(StringComparer.Ordinal))
        {
            foreach (var size in ChunkSizes)
            {
                data.Add(Path.GetFileNameWithoutExtension(file), size, true);
                data.Add(Path.GetFileNameWithoutExtension(file), size, false);
            }
        }

        return data;
    }

    [Fact]
    public void The_transcripts_are_there()
    {
        Assert.True(System.IO.Directory.GetFiles(Directory, "*.txt").Length >= 20);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Replay(string name, int chunkSize, bool pipelined)
    {
        var transcript = Transcript.Load(Path.Combine(Directory, name + ".txt"));
        await using var host = new Pop3TestHost();
        foreach (var setup in transcript.Setup)
        {
            setup(host);
        }

        var connection = host.Connect();
        if (pipelined)
        {
            await ReplayPipelinedAsync(transcript, connection, chunkSize);
        }
        else
        {
            await ReplayLockstepAsync(transcript, connection, chunkSize);
        }

        await connection.Completion;
        foreach (var assertion in transcript.Assertions)
        {
            assertion(host);
        }
    }

    private static async Task ReplayPipelinedAsync(Transcript transcript, Pop3TestConnection connection, int chunkSize)
    {
        var client = transcript.Dialogue.Where(d => d.FromClient).SelectMany(d => d.Bytes).ToArray();
        var expected = transcript.Dialogue.Where(d => !d.FromClient).SelectMany(d => d.Bytes).ToArray();
        var reading = connection.ReadToEndAsync();
        await connection.SendAsync(client, chunkSize);
        connection.CloseInput();

        Assert.Equal(Text(expected), Text(await reading));
    }

    private static async Task ReplayLockstepAsync(Transcript transcript, Pop3TestConnection connection, int chunkSize)
    {
        var i = 0;
        while (i < transcript.Dialogue.Count)
        {
            var fromClient = transcript.Dialogue[i].FromClient;
            var group = new List<byte>();
            for (; i < transcript.Dialogue.Count && transcript.Dialogue[i].FromClient == fromClient; i++)
            {
                group.AddRange(transcript.Dialogue[i].Bytes);
            }

            if (fromClient)
            {
                await connection.SendAsync([.. group], chunkSize);
            }
            else
            {
                Assert.Equal(Text([.. group]), Text(await connection.ReadBytesAsync(group.Count)));
            }
        }

        connection.CloseInput();
        Assert.Equal(string.Empty, Text(await connection.ReadToEndAsync()));
    }

    private static string Text(byte[] bytes) => Encoding.Latin1.GetString(bytes);
}
