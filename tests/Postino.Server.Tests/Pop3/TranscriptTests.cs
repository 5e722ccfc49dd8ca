using System.Text;
using Postino.Server.Tests.Postgres;
using Postino.Server.Tests.Transcripts;

namespace Postino.Server.Tests.Pop3;

/// <summary>
/// Replays every tests/transcripts/pop3/*.txt file: pipelined (all client lines fed at once in chunks, one reply
/// stream compared) and in lockstep (each reply read before the next command), at every chunk size on the in-memory
/// store, and at the extreme ones on the Maildir and PostgreSQL stores.
/// </summary>
public class TranscriptTests(PostgresTestDatabase postgres) : IClassFixture<PostgresTestDatabase>
{
    public static TheoryData<string, int, bool> Cases() => CasesAt(Transcript.ChunkSizes);

    public static TheoryData<string, int, bool> StoreCases() => CasesAt(Transcript.StoreChunkSizes);

    private static TheoryData<string, int, bool> CasesAt(IReadOnlyList<int> sizes)
    {
        var data = new TheoryData<string, int, bool>();
        foreach (var name in Transcript.Names("pop3"))
        {
            foreach (var size in sizes)
            {
                data.Add(name, size, true);
                data.Add(name, size, false);
            }
        }

        return data;
    }

    [Fact]
    public void The_transcripts_are_there()
    {
        Assert.True(Transcript.Names("pop3").Count() >= 20);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Replay(string name, int chunkSize, bool pipelined)
    {
        var transcript = Pop3Transcript.Load(name);
        await using var host = new Pop3TestHost();
        Pop3Transcript.Arrange(transcript, host);

        await ReplayAsync(transcript, host.Connect(), chunkSize, pipelined);

        Pop3Transcript.Check(transcript, host);
    }

    /// <summary>The same transcript with the Maildir store behind the session; the expectations read the Maildir.</summary>
    [Theory]
    [MemberData(nameof(StoreCases))]
    public async Task Replay_on_maildir(string name, int chunkSize, bool pipelined)
    {
        var transcript = Pop3Transcript.Load(name);
        await using var host = new Pop3TestHost();
        Pop3Transcript.Arrange(transcript, host);
        await using var backend = await MaildirPop3Backend.CreateAsync(host.Store);
        host.RealStore = backend.Store;

        await ReplayAsync(transcript, host.Connect(), chunkSize, pipelined);

        await backend.ReadBackAsync();
        Pop3Transcript.Check(transcript, host);
    }

    /// <summary>The same transcript with the PostgreSQL store behind the session; the expectations read the database.</summary>
    [Theory]
    [MemberData(nameof(StoreCases))]
    public async Task Replay_on_postgres(string name, int chunkSize, bool pipelined)
    {
        var transcript = Pop3Transcript.Load(name);
        await postgres.ResetAsync();
        await using var host = new Pop3TestHost();
        Pop3Transcript.Arrange(transcript, host);
        await using var backend = await PostgresPop3Backend.CreateAsync(postgres.Database, host.Store);
        host.RealStore = backend.Store;

        await ReplayAsync(transcript, host.Connect(), chunkSize, pipelined);

        await backend.ReadBackAsync();
        Pop3Transcript.Check(transcript, host);
    }

    private static async Task ReplayAsync(Transcript transcript, Pop3TestConnection connection, int chunkSize, bool pipelined)
    {
        if (pipelined)
        {
            await ReplayPipelinedAsync(transcript, connection, chunkSize);
        }
        else
        {
            await ReplayLockstepAsync(transcript, connection, chunkSize);
        }

        await connection.Completion;
    }

    private static async Task ReplayPipelinedAsync(Transcript transcript, Pop3TestConnection connection, int chunkSize)
    {
        var reading = connection.ReadToEndAsync();
        await connection.SendAsync(transcript.ClientBytes, chunkSize);
        connection.CloseInput();

        Assert.Equal(Text(transcript.ServerBytes), Text(await reading));
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
