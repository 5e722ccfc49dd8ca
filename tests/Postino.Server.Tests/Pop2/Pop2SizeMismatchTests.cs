using Postino.Server.Pop2;
using Postino.Server.Tests.Pop2.Support;

namespace Postino.Server.Tests.Pop2;

/// <summary>When the store's size is wrong, the session never sends more than it announced, then closes without commit.</summary>
public sealed class Pop2SizeMismatchTests
{
    private static readonly byte[] Message = "From: a@example.org\r\n\r\nbody\r\n"u8.ToArray();

    [Theory]
    [InlineData(-5)]
    [InlineData(+5)]
    public async Task A_wrong_stored_size_closes_the_session_after_at_most_the_announced_octets(int error)
    {
        var bed = new Pop2TestBed();
        bed.Authenticator.AddUser("alice", "pw");
        var stored = bed.Store.AddMessage("alice", "INBOX", Message);
        stored.Size += error;

        var (output, end) = await bed.RunAsync("HELO alice pw\r\nREAD 1\r\nRETR\r\nACKD\r\nQUIT\r\n"u8.ToArray(), 64);

        var reader = new Pop2Output(output);
        reader.Line();
        reader.Line();
        var announced = reader.Length();
        Assert.Equal(Message.Length + error, announced);
        var rest = reader.Rest();
        Assert.Equal(Math.Min(announced, Message.Length), rest.Length);
        Assert.Equal(Message.AsSpan(0, rest.Length).ToArray(), rest);
        Assert.Equal(Pop2SessionEnd.StoreFailure, end);
        Assert.Single(bed.Store.Messages("alice", "INBOX"));
        Assert.Equal(0, bed.Store.Commits);
        Assert.Contains(bed.Logger.Lines, line => line.StartsWith("Error:", StringComparison.Ordinal) && line.Contains("announced", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_zero_octet_stored_message_reads_as_zero_and_cannot_be_retrieved()
    {
        var bed = new Pop2TestBed();
        bed.Authenticator.AddUser("alice", "pw");
        bed.Store.AddMessage("alice", "INBOX", []);

        var (output, end) = await bed.RunAsync("HELO alice pw\r\nREAD 1\r\nRETR\r\n"u8.ToArray(), 512);

        var reader = new Pop2Output(output);
        reader.Line();
        Assert.Equal("#1 messages in INBOX", reader.Line());
        Assert.Equal("=0 message 1 is empty", reader.Line());
        Assert.Equal("- No message 1 to retrieve", reader.Line());
        Assert.Equal(Pop2SessionEnd.ProtocolError, end);
    }
}
