using System.Text;
using Postino.Fetch.Pop3;
using Postino.Fetch.Protocol;
using Postino.Fetch.Tests.Support;

namespace Postino.Fetch.Tests.Protocol;

public class Pop3ClientTranscriptTests
{
    [Theory]
    [MemberData(nameof(ChunkSizes.All), MemberType = typeof(ChunkSizes))]
    public async Task Whole_session_replays_at_every_chunk_size(int chunkSize)
    {
        var transcript = TranscriptStream.FromFile("pop3-session.txt", chunkSize);
        var ct = CancellationToken.None;
        await using var client = await Pop3Client.ConnectAsync(transcript, isSecure: false, null, ct);

        Assert.Equal("<1896.697170952@dbc.mtview.ca.us>", client.ApopTimestamp);
        var capabilities = await client.CapaAsync(ct);
        Assert.True(capabilities.Pipelining);
        Assert.Equal(["PLAIN", "LOGIN"], capabilities.SaslMechanisms);

        await client.AuthenticateAsync("alice", "pass word", Pop3AuthMethod.UserPass, ct);
        Assert.Equal(new Pop3Stat(2, 120), await client.StatAsync(ct));
        Assert.Equal([new Pop3Listing(1, 80), new Pop3Listing(2, 40)], await client.ListAsync(ct));
        Assert.Equal([new Pop3UidlEntry(1, "00000001a1b2c3d4"), new Pop3UidlEntry(2, "00000002a1b2c3d4")], await client.UidlAsync(ct));

        using var message = new MemoryStream();
        var octets = await client.RetrieveAsync(1, message, ct);
        const string Expected = "Subject: dots\r\n\r\n.\r\n..two\r\nx\r\n. space\r\nend\r\n";
        Assert.Equal(Expected, Encoding.UTF8.GetString(message.ToArray()));
        Assert.Equal(Expected.Length, octets);

        using var header = new MemoryStream();
        await client.TopAsync(2, 0, header, ct);
        Assert.Equal("Subject: second\r\n\r\n", Encoding.UTF8.GetString(header.ToArray()));

        await client.DeleteAsync(1, ct);
        var refused = await Assert.ThrowsAsync<MailCommandException>(() => client.DeleteAsync(3, ct));
        Assert.Equal("There's no message 3.", refused.ServerText);
        Assert.True(client.IsConnected);

        await client.QuitAsync(ct);
        Assert.True(transcript.IsComplete);
        Assert.True(transcript.Disposed);
    }

    [Theory]
    [InlineData("IN-USE", ResponseCode.InUse)]
    [InlineData("SYS/TEMP", ResponseCode.SysTemp)]
    [InlineData("SYS/PERM", ResponseCode.SysPerm)]
    [InlineData("AUTH", ResponseCode.Auth)]
    [InlineData("LOGIN-DELAY", ResponseCode.LoginDelay)]
    [InlineData("X-UNKNOWN", ResponseCode.None)]
    public async Task Refused_login_reports_its_response_code_and_keeps_the_connection(string code, ResponseCode expected)
    {
        var transcript = new TranscriptStream(
        [
            "S: +OK hi",
            "C: USER bob",
            "S: +OK",
            "C: PASS secret",
            $"S: -ERR [{code}] go away",
            "C: QUIT",
            "S: +OK bye",
        ], chunkSize: 1);
        var ct = CancellationToken.None;
        await using var client = await Pop3Client.ConnectAsync(transcript, false, null, ct);

        var error = await Assert.ThrowsAsync<MailCommandException>(
            () => client.AuthenticateAsync("bob", "secret", Pop3AuthMethod.UserPass, ct));

        Assert.Equal(expected, error.Code);
        Assert.Equal("PASS", error.Command);
        Assert.DoesNotContain("secret", error.Message, StringComparison.Ordinal);
        Assert.True(client.IsConnected);
        await client.QuitAsync(ct);
        Assert.True(transcript.IsComplete);
    }

    [Fact]
    public async Task Garbage_reply_is_a_protocol_error_that_closes_the_connection()
    {
        var transcript = new TranscriptStream(["S: +OK hi", "C: STAT", "S: 220 this is SMTP"], chunkSize: 3);
        var ct = CancellationToken.None;
        await using var client = await Pop3Client.ConnectAsync(transcript, false, null, ct);

        await Assert.ThrowsAsync<MailProtocolException>(() => client.StatAsync(ct));

        Assert.False(client.IsConnected);
        Assert.True(transcript.Disposed);
        await Assert.ThrowsAsync<MailProtocolException>(() => client.NoopAsync(ct));
    }

    [Fact]
    public async Task Connection_closed_in_the_middle_of_a_message_is_a_protocol_error()
    {
        var transcript = new TranscriptStream(["S: +OK hi", "C: RETR 1", "S: +OK", "S: Subject: cut"], chunkSize: 1);
        var ct = CancellationToken.None;
        await using var client = await Pop3Client.ConnectAsync(transcript, false, null, ct);

        var error = await Assert.ThrowsAsync<MailProtocolException>(() => client.RetrieveAsync(1, Stream.Null, ct));

        Assert.Contains("middle of a message", error.Message, StringComparison.Ordinal);
        Assert.False(client.IsConnected);
    }

    [Fact]
    public async Task Greeting_with_err_is_a_command_error_with_its_code()
    {
        var transcript = new TranscriptStream(["S: -ERR [SYS/TEMP] too busy"], chunkSize: 2);

        var error = await Assert.ThrowsAsync<MailCommandException>(
            () => Pop3Client.ConnectAsync(transcript, false, null, CancellationToken.None));

        Assert.Equal(ResponseCode.SysTemp, error.Code);
        Assert.True(transcript.Disposed);
    }

    [Fact]
    public async Task Server_without_capa_has_no_capabilities()
    {
        var transcript = new TranscriptStream(["S: +OK old server", "C: CAPA", "S: -ERR unknown command"], chunkSize: 7);
        var ct = CancellationToken.None;
        await using var client = await Pop3Client.ConnectAsync(transcript, false, null, ct);

        var capabilities = await client.CapaAsync(ct);

        Assert.Empty(capabilities.Names);
        Assert.True(client.IsConnected);
        Assert.Null(client.ApopTimestamp);
    }

    [Theory]
    [MemberData(nameof(ChunkSizes.All), MemberType = typeof(ChunkSizes))]
    public async Task Pipelined_deletes_go_out_in_one_write_and_each_reply_is_matched(int chunkSize)
    {
        var transcript = new TranscriptStream(
        [
            "S: +OK hi",
            "C: CAPA",
            "S: +OK",
            "S: PIPELINING",
            "S: .",
            "C: DELE 1",
            "C: DELE 2",
            "C: DELE 3",
            "S: +OK",
            "S: -ERR [SYS/TEMP] not now",
            "S: +OK",
        ], chunkSize);
        var ct = CancellationToken.None;
        await using var client = await Pop3Client.ConnectAsync(transcript, false, null, ct);
        await client.CapaAsync(ct);

        var results = await client.DeleteManyAsync([1, 2, 3], ct);

        Assert.Null(results[0]);
        Assert.Equal(ResponseCode.SysTemp, results[1]!.Code);
        Assert.Null(results[2]);
        Assert.True(transcript.IsComplete);
    }

    [Fact]
    public async Task Deletes_without_pipelining_wait_for_each_reply()
    {
        var transcript = new TranscriptStream(
            ["S: +OK hi", "C: CAPA", "S: +OK", "S: UIDL", "S: .", "C: DELE 1", "S: +OK", "C: DELE 2", "S: +OK"], 1);
        var ct = CancellationToken.None;
        await using var client = await Pop3Client.ConnectAsync(transcript, false, null, ct);
        await client.CapaAsync(ct);

        var results = await client.DeleteManyAsync([1, 2], ct);

        Assert.All(results, Assert.Null);
        Assert.True(transcript.IsComplete);
    }
}
