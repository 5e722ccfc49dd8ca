using System.Text;
using System.Threading.Channels;
using Microsoft.Extensions.Time.Testing;
using Postino.Fetch.Pop3;
using Postino.Fetch.Protocol;

namespace Postino.Fetch.Tests.Protocol;

/// <summary>The timeout measures silence: a long transfer that keeps sending survives, a silent server does not.</summary>
public class IdleTimeoutTests
{
    [Fact]
    public async Task A_retr_longer_than_the_timeout_survives_while_data_keeps_coming_and_silence_then_fails()
    {
        var clock = new FakeTimeProvider();
        var stream = new ScriptedStream();
        var options = new MailConnectionOptions { Timeout = TimeSpan.FromSeconds(120), TimeProvider = clock };
        stream.Push("+OK hi\r\n");
        var connecting = Pop3Client.ConnectAsync(stream, false, options, CancellationToken.None);
        await using var client = await connecting;

        stream.Push("+OK\r\nline 1\r\n");
        using var message = new MemoryStream();
        var retrieving = client.RetrieveAsync(1, message, CancellationToken.None);
        for (var i = 2; i <= 4; i++)
        {
            await stream.WaitForPendingReadAsync();
            clock.Advance(TimeSpan.FromSeconds(100));
            stream.Push($"line {i}\r\n");
        }

        await stream.WaitForPendingReadAsync();
        stream.Push(".\r\n");
        Assert.Equal(32, await retrieving);

        var noop = client.NoopAsync(CancellationToken.None);
        await stream.WaitForPendingReadAsync();
        clock.Advance(TimeSpan.FromSeconds(121));
        var error = await Assert.ThrowsAsync<MailProtocolException>(() => noop);
        Assert.Contains("did not answer", error.Message, StringComparison.Ordinal);
        Assert.False(client.IsConnected);
    }

    /// <summary>Serves pushed chunks; tells the test when the client is waiting for more.</summary>
    private sealed class ScriptedStream : Stream
    {
        private readonly Channel<byte[]> _chunks = Channel.CreateUnbounded<byte[]>();
        private readonly Channel<bool> _pending = Channel.CreateUnbounded<bool>();

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public void Push(string text) => _chunks.Writer.TryWrite(Encoding.ASCII.GetBytes(text));

        public async Task WaitForPendingReadAsync() => await _pending.Reader.ReadAsync();

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (!_chunks.Reader.TryRead(out var chunk))
            {
                _pending.Writer.TryWrite(true);
                chunk = await _chunks.Reader.ReadAsync(cancellationToken);
            }

            chunk.CopyTo(buffer);
            return chunk.Length;
        }

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) => ValueTask.CompletedTask;

        public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count)
        {
        }
    }
}
