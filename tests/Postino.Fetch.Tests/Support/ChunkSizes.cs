namespace Postino.Fetch.Tests.Support;

/// <summary>The read sizes every transcript is replayed at (house rule), one byte per read first.</summary>
public static class ChunkSizes
{
    public static TheoryData<int> All => [1, 2, 3, 7, 64, 512];
}
