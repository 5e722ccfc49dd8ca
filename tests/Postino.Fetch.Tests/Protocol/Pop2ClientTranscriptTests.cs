using System.Text;
using Postino.Fetch.Pop2;
using Postino.Fetch.Protocol;
using Postino.Fetch.Tests.Support;

namespace Postino.Fetch.Tests.Protocol;

public class Pop2ClientTranscriptTests
{
    [Theory]
    [MemberData(nameof(ChunkSizes.All), MemberType = typeof(ChunkSizes))]
    public async Task Retr_reads_exactly_the_announced_octets_and_nothing_is_unstuffed(int chunkSize)
    {
        var trace = new RecordingTrace();
        var transcript = TranscriptStream.FromFile("pop2-session.txt", chunkSize);
        var ct = CancellationToken.None;
        await using var client = await Pop2Client.ConnectAsync(transcript, new MailConnectionOptions { Trace = trace }, ct);

        Assert.Equal(2, await client.HeloAsync("pop2test", "Secret 1", ct));
        Assert.Equal(2, await client.FoldAsync("archive", ct));
        var length = await client.ReadAsync(1, ct);
        Assert.Equal(25, length);

        using var first = new MemoryStream();
        await client.RetrieveAsync(length, first, ct);
        Assert.Equal("Subject: a\r\n\r\n.\r\n..b\r\n.\r\n", Encoding.UTF8.GetString(first.ToArray()));
        var next = await client.AcksAsync(ct);
        Assert.Equal(17, next);

        using var second = new MemoryStream();
        await client.RetrieveAsync(next, second, ct);
        Assert.Equal("Subject: b\r\n\r\nx\r\n", Encoding.UTF8.GetString(second.ToArray()));
        Assert.Equal(0, await client.AckdAsync(ct));

        await client.QuitAsync(ct);
        Assert.True(transcript.IsComplete);
        Assert.Contains("C: HELO pop2test ****", trace.Lines);
        Assert.DoesNotContain(trace.Lines, l => l.Contains("Secret", StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(ChunkSizes.All), MemberType = typeof(ChunkSizes))]
    public async Task Helo_and_fold_arguments_carry_backslash_escapes(int chunkSize)
    {
        var trace = new RecordingTrace();
        var transcript = TranscriptStream.FromFile("pop2-escapes.txt", chunkSize);
        var ct = CancellationToken.None;
        await using var client = await Pop2Client.ConnectAsync(transcript, new MailConnectionOptions { Trace = trace }, ct);

        Assert.Equal(0, await client.HeloAsync(@"pop\2", @"C:\mail pass\", ct));
        Assert.Equal(0, await client.FoldAsync(@"old mail\2026", ct));
        await client.QuitAsync(ct);

        Assert.True(transcript.IsComplete);
        Assert.Contains(@"C: HELO pop\\2 ****", trace.Lines);
        Assert.DoesNotContain(trace.Lines, l => l.Contains("pass", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Bad_login_is_an_auth_command_error_and_the_client_is_disconnected()
    {
        var transcript = new TranscriptStream(
            ["S: + POP2 localhost ready", "C: HELO pop2test wrong", "S: - Bad login", "S: + Sayonara"], 1);
        var ct = CancellationToken.None;
        await using var client = await Pop2Client.ConnectAsync(transcript, null, ct);

        var error = await Assert.ThrowsAsync<MailCommandException>(() => client.HeloAsync("pop2test", "wrong", ct));

        Assert.Equal(ResponseCode.Auth, error.Code);
        Assert.Equal("Bad login", error.ServerText);
        Assert.False(client.IsConnected);
    }

    [Fact]
    public async Task Server_closing_before_the_count_is_reached_is_a_protocol_error()
    {
        var transcript = new TranscriptStream(
            ["S: + POP2 x", "C: HELO u p", "S: #1", "C: READ 1", "S: =100", "C: RETR", "S: short"], 3);
        var ct = CancellationToken.None;
        await using var client = await Pop2Client.ConnectAsync(transcript, null, ct);
        await client.HeloAsync("u", "p", ct);
        var length = await client.ReadAsync(1, ct);

        var error = await Assert.ThrowsAsync<MailProtocolException>(() => client.RetrieveAsync(length, Stream.Null, ct));

        Assert.Contains("93 octets before the end", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reply_with_the_wrong_lead_character_is_a_protocol_error()
    {
        var transcript = new TranscriptStream(["S: + POP2 x", "C: HELO u p", "S: =4"], 1);
        var ct = CancellationToken.None;
        await using var client = await Pop2Client.ConnectAsync(transcript, null, ct);

        await Assert.ThrowsAsync<MailProtocolException>(() => client.HeloAsync("u", "p", ct));

        Assert.False(client.IsConnected);
    }
}
