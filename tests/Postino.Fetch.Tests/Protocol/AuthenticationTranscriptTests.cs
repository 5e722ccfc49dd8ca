using System.Text;
using Postino.Fetch.Pop3;
using Postino.Fetch.Protocol;
using Postino.Fetch.Sasl;
using Postino.Fetch.Tests.Support;

namespace Postino.Fetch.Tests.Protocol;

public class AuthenticationTranscriptTests
{
    private static string B64(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text));

    [Fact]
    public async Task Apop_digest_matches_rfc_1939_example_and_is_redacted_in_the_trace()
    {
        var trace = new RecordingTrace();
        var transcript = new TranscriptStream(
        [
            "S: +OK POP3 server ready <1896.697170952@dbc.mtview.ca.us>",
            "C: APOP mrose c4c9334bac560ecc979e58001b3e22fb",
            "S: +OK maildrop has 1 message (369 octets)",
        ], 1);
        var ct = CancellationToken.None;
        await using var client = await Pop3Client.ConnectAsync(transcript, false, new MailConnectionOptions { Trace = trace }, ct);

        await client.AuthenticateAsync("mrose", "tanstaaf", Pop3AuthMethod.Auto, ct);

        Assert.Equal(Pop3AuthMethod.Apop, client.AuthenticatedWith);
        Assert.Contains("C: APOP mrose ****", trace.Lines);
        Assert.DoesNotContain(trace.Lines, l => l.Contains("c4c9334b", StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(ChunkSizes.All), MemberType = typeof(ChunkSizes))]
    public async Task Auth_plain_sends_an_initial_response_redacted_in_the_trace(int chunkSize)
    {
        var trace = new RecordingTrace();
        var transcript = new TranscriptStream(
        [
            "S: +OK ready",
            "C: CAPA",
            "S: +OK",
            "S: SASL PLAIN",
            "S: .",
            $"C: AUTH PLAIN {B64("\0alice\0s3cret")}",
            "S: +OK Logged in.",
        ], chunkSize);
        var ct = CancellationToken.None;
        await using var client = await Pop3Client.ConnectAsync(transcript, false, new MailConnectionOptions { Trace = trace }, ct);
        await client.CapaAsync(ct);

        await client.AuthenticateAsync("alice", "s3cret", Pop3AuthMethod.Auto, ct);

        Assert.Equal(Pop3AuthMethod.Plain, client.AuthenticatedWith);
        Assert.Contains("C: AUTH PLAIN ****", trace.Lines);
        Assert.True(transcript.IsComplete);
    }

    [Fact]
    public async Task Auth_login_answers_both_prompts()
    {
        var transcript = new TranscriptStream(
        [
            "S: +OK ready",
            "C: AUTH LOGIN",
            $"S: + {B64("Username:")}",
            $"C: {B64("alice")}",
            $"S: + {B64("Password:")}",
            $"C: {B64("s3cret")}",
            "S: +OK Logged in.",
        ], 1);
        var ct = CancellationToken.None;
        await using var client = await Pop3Client.ConnectAsync(transcript, false, null, ct);

        await client.AuthenticateAsync("alice", "s3cret", Pop3AuthMethod.Login, ct);

        Assert.True(transcript.IsComplete);
    }

    [Fact]
    public async Task Auth_failure_carries_the_auth_code()
    {
        var transcript = new TranscriptStream(
        [
            "S: +OK ready",
            $"C: AUTH PLAIN {B64("\0alice\0wrong")}",
            "S: -ERR [AUTH] Authentication failed.",
        ], 2);
        var ct = CancellationToken.None;
        await using var client = await Pop3Client.ConnectAsync(transcript, false, null, ct);

        var error = await Assert.ThrowsAsync<MailCommandException>(
            () => client.AuthenticateAsync("alice", "wrong", Pop3AuthMethod.Plain, ct));

        Assert.Equal(ResponseCode.Auth, error.Code);
        Assert.True(client.IsConnected);
    }

    [Fact]
    public void Scram_sha_256_follows_the_rfc_7677_example()
    {
        var scram = new ScramSha256Client("user", "pencil", "rOprNGfwEbeRWgbNEkqO");

        Assert.Equal("n,,n=user,r=rOprNGfwEbeRWgbNEkqO", Encoding.UTF8.GetString(scram.InitialResponse()!));
        var final = scram.Respond(Encoding.UTF8.GetBytes(
            "r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096"));
        Assert.Equal(
            "c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=",
            Encoding.UTF8.GetString(final!));
        Assert.False(scram.ServerVerified);

        var last = scram.Respond(Encoding.UTF8.GetBytes("v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4="));

        Assert.NotNull(last);
        Assert.Empty(last);
        Assert.True(scram.ServerVerified);
    }

    [Fact]
    public void Scram_rejects_a_wrong_server_signature_and_a_foreign_nonce()
    {
        var forged = new ScramSha256Client("user", "pencil", "rOprNGfwEbeRWgbNEkqO");
        forged.InitialResponse();
        forged.Respond(Encoding.UTF8.GetBytes("r=rOprNGfwEbeRWgbNEkqOxyz,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096"));
        Assert.Null(forged.Respond(Encoding.UTF8.GetBytes("v=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=")));
        Assert.False(forged.ServerVerified);

        var foreign = new ScramSha256Client("user", "pencil", "rOprNGfwEbeRWgbNEkqO");
        foreign.InitialResponse();
        Assert.Null(foreign.Respond(Encoding.UTF8.GetBytes("r=someoneElse,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096")));
    }

    [Fact]
    public async Task Scram_session_over_pop3_verifies_the_server_and_ends_with_an_empty_line()
    {
        var clientNonce = "rOprNGfwEbeRWgbNEkqO";
        var transcript = new TranscriptStream(
        [
            "S: +OK ready",
            "C: CAPA",
            "S: +OK",
            "S: SASL SCRAM-SHA-256 PLAIN",
            "S: .",
            $"C: AUTH SCRAM-SHA-256 {B64("n,,n=user,r=" + clientNonce)}",
            $"S: + {B64("r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096")}",
            $"C: {B64("c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=")}",
            $"S: + {B64("v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=")}",
            "C: ",
            "S: +OK Logged in.",
        ], 1);
        var ct = CancellationToken.None;
        await using var client = await Pop3Client.ConnectAsync(transcript, false, null, ct);
        await client.CapaAsync(ct);

        await client.AuthenticateWithAsync(new ScramSha256Client("user", "pencil", clientNonce), ct);

        Assert.True(transcript.IsComplete);
        Assert.True(client.IsConnected);
    }

    [Fact]
    public async Task Scram_accepted_without_server_proof_is_a_protocol_error()
    {
        var clientNonce = "rOprNGfwEbeRWgbNEkqO";
        var transcript = new TranscriptStream(
        [
            "S: +OK ready",
            $"C: AUTH SCRAM-SHA-256 {B64("n,,n=user,r=" + clientNonce)}",
            $"S: + {B64("r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096")}",
            $"C: {B64("c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=")}",
            "S: +OK Logged in.",
        ], 1);
        var ct = CancellationToken.None;
        await using var client = await Pop3Client.ConnectAsync(transcript, false, null, ct);

        await Assert.ThrowsAsync<MailProtocolException>(
            () => client.AuthenticateWithAsync(new ScramSha256Client("user", "pencil", clientNonce), ct));

        Assert.False(client.IsConnected);
    }
}
