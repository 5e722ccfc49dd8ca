using System.Text;
using Postino.Server.Tests.Postgres;

namespace Postino.Server.Tests.Pop3;

/// <summary>
/// Replays every tests/transcripts/pop3/*.txt file: pipelined (all client lines fed at once in chunks, one reply
/// stream compared) and in lockstep (each reply read before the next command), at chunk sizes 1, 2, 3, 7, 64, 512.
/// </summary>
public class TranscriptTests(PostgresTestDatabase postgres) : IClassFixture<PostgresTestDatabase>
{
    private static readonly int[] ChunkSizes = [1, 2, 3, 7, 64, 512];

    /// <summary>On PostgreSQL the point is the store, not the parser: the extreme chunk sizes suffice.</summary>
    private static readonly int[] PostgresChunkSizes = [1, 512];

    public static string Directory => Path.Combine(AppContext.BaseDirectory, "transcripts", "pop3");

    public static TheoryData<string, int, bool> Cases() => CasesAt(ChunkSizes);

    public static TheoryData<string, int, bool> PostgresCases() => CasesAt(PostgresChunkSizes);

    private static TheoryData<string, int, bool> CasesAt(int[] sizes)
    {
        var data = new TheoryData<string, int, bool>();
        foreach (var file in System.IO.Directory.GetFiles(Directory, "*.txt").Order(StringComparer.Ordinal))
        {
            foreach (var size in sizes)
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

    /// <summary>The same transcript with the PostgreSQL store behind the session; the assertions read the database.</summary>
    [Theory]
    [MemberData(nameof(PostgresCases))]
    public async Task Replay_on_postgres(string name, int chunkSize, bool pipelined)
    {
        var transcript = Transcript.Load(Path.Combine(Directory, name + ".txt"));
        await postgres.ResetAsync();
        await using var host = new Pop3TestHost();
        foreach (var setup in transcript.Setup)
        {
            setup(host);
        }

        await using var backend = await PostgresPop3Backend.CreateAsync(postgres.Database, host.Store);
        host.RealStore = backend.Store;
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
        await backend.ReadBackAsync();
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
