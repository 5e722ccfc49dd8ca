using System.Text;
using Postino.Server.Tests.Pop2.Support;
using Postino.Server.Tests.Transcripts;

namespace Postino.Server.Tests.Pop2;

/// <summary>
/// Replays every tests/transcripts/pop2/*.txt file at chunk sizes 1, 2, 3, 7, 64 and 512 on the in-memory store, and
/// on the real Maildir and PostgreSQL stores.
/// </summary>
public sealed class Pop2TranscriptTests(Postgres.PostgresTestDatabase postgres) : IClassFixture<Postgres.PostgresTestDatabase>
{
    public static TheoryData<string, int> Cases() => CasesAt(Transcript.ChunkSizes);

    /// <summary>
    /// On the real stores the point is the store's bytes and sizes, not the parser, so the extreme chunk sizes
    /// suffice there (the full set runs on the in-memory store).
    /// </summary>
    public static TheoryData<string, int> StoreCases() => CasesAt(Transcript.StoreChunkSizes);

    private static TheoryData<string, int> CasesAt(IReadOnlyList<int> sizes)
    {
        var data = new TheoryData<string, int>();
        foreach (var name in Transcript.Names("pop2"))
        {
            foreach (var size in sizes)
            {
                data.Add(name, size);
            }
        }

        return data;
    }

    [Fact]
    public void The_transcript_folder_is_not_empty()
    {
        Assert.True(Transcript.Names("pop2").Count() >= 40);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Transcript_replays_byte_for_byte_on_the_in_memory_store(string file, int chunkSize)
    {
        var bed = new Pop2TestBed();
        await using var store = new InMemoryTranscriptStore(bed.Store);
        await ReplayAsync(file, chunkSize, bed, store);
    }

    [Theory]
    [MemberData(nameof(StoreCases))]
    public async Task Transcript_replays_byte_for_byte_on_the_maildir_store(string file, int chunkSize)
    {
        var bed = new Pop2TestBed();
        await using var store = new MaildirTranscriptStore();
        await ReplayAsync(file, chunkSize, bed, store);
    }

    [Theory]
    [MemberData(nameof(StoreCases))]
    public async Task Transcript_replays_byte_for_byte_on_the_postgres_store(string file, int chunkSize)
    {
        await postgres.ResetAsync();
        var bed = new Pop2TestBed();
        await using var store = new PostgresTranscriptStore(postgres);
        await ReplayAsync(file, chunkSize, bed, store);
    }

    private static async Task ReplayAsync(string file, int chunkSize, Pop2TestBed bed, ITranscriptStore store)
    {
        var transcript = Pop2Transcript.Load(file);
        await transcript.ArrangeAsync(bed, store);

        var (output, end) = await bed.RunAsync(transcript.Input, chunkSize);

        Assert.Equal(Encoding.UTF8.GetString(transcript.ExpectedOutput), Encoding.UTF8.GetString(output));
        Assert.Equal(transcript.ExpectedOutput, output);
        Assert.Equal(transcript.ExpectedEnd, end);
        Assert.Empty(await transcript.CheckStoreAsync(store));
    }
}
