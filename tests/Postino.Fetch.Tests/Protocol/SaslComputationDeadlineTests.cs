using System.Text;
using Microsoft.Extensions.Time.Testing;
using Postino.Fetch.Pop3;
using Postino.Fetch.Protocol;
using Postino.Fetch.Sasl;
using Postino.Fetch.Tests.Support;

namespace Postino.Fetch.Tests.Protocol;

/// <summary>
/// A SASL response that takes long to compute (SCRAM's key derivation) is bounded like a reply: the connection's
/// timeout and the caller's token (SIGTERM) both reach the computation.
/// </summary>
public class SaslComputationDeadlineTests
{
    [Fact]
    public async Task Timeout_stops_a_computation_that_runs_past_it()
    {
        var time = new FakeTimeProvider();
        var sasl = new BlockingSaslClient();
        await using var client = await ConnectAsync(new MailConnectionOptions { TimeProvider = time, Timeout = TimeSpan.FromSeconds(30) });

        var login = Task.Run(() => client.AuthenticateWithAsync(sasl, CancellationToken.None));
        await sasl.Started.WaitAsync(TimeSpan.FromMinutes(1));
        time.Advance(TimeSpan.FromSeconds(31));

        var failure = await Assert.ThrowsAsync<MailProtocolException>(() => login);
        Assert.Contains("within 30 s", failure.Message, StringComparison.Ordinal);
        Assert.False(client.IsConnected);
    }

    [Fact]
    public async Task Cancellation_stops_a_computation_in_progress()
    {
        var sasl = new BlockingSaslClient();
        await using var client = await ConnectAsync(null);
        using var sigterm = new CancellationTokenSource();

        var login = Task.Run(() => client.AuthenticateWithAsync(sasl, sigterm.Token));
        await sasl.Started.WaitAsync(TimeSpan.FromMinutes(1));
        await sigterm.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => login);
    }

    private static Task<Pop3Client> ConnectAsync(MailConnectionOptions? options) => Pop3Client.ConnectAsync(
        new TranscriptStream(
        [
            "S: +OK ready",
            "C: AUTH X-SLOW",
            $"S: + {Convert.ToBase64String(Encoding.ASCII.GetBytes("work"))}",
        ], 64),
        false, options, CancellationToken.None);

    /// <summary>Computes until its token fires, as SCRAM would with a huge iteration count.</summary>
    private sealed class BlockingSaslClient : SaslClient
    {
        private readonly TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task Started => _started.Task;

        public override string Mechanism => "X-SLOW";

        public override bool ServerVerified => false;

        public override byte[]? InitialResponse() => null;

        public override byte[]? Respond(ReadOnlySpan<byte> challenge) => throw new InvalidOperationException("The token must be passed.");

        public override byte[]? Respond(ReadOnlySpan<byte> challenge, CancellationToken cancellationToken)
        {
            _started.SetResult();
            cancellationToken.WaitHandle.WaitOne();
            cancellationToken.ThrowIfCancellationRequested();
            return null;
        }
    }
}
