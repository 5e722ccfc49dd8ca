using System.Buffers;
using System.IO.Pipelines;

namespace Postino.Server.Tls;

/// <summary>
/// A Stream over a connection's pipes, so SslStream can run on a Kestrel transport. <paramref name="beforeFirstWrite"/>
/// runs once, just before the first write goes to the pipe: for a server handshake that is the server's first flight,
/// when the SSL object exists and the client's Finished (after which OpenSSL sends its tickets) is not read yet.
/// A write is sent at once, as on a socket, unless it is held back (<see cref="HoldHandshakeTail"/>,
/// <see cref="HoldUntilClose"/>): then it leaves in the same send as the next records, one system call and one wake-up
/// of the transport's send loop fewer.
/// </summary>
internal sealed class DuplexPipeStream(PipeReader input, PipeWriter output, Action? beforeFirstWrite = null) : Stream
{
    private Action? _beforeFirstWrite = beforeFirstWrite;
    private Func<bool>? _handshakeFinished;
    private bool _holdingForClose;
    private bool _held;
    private bool _tailHeld;

    public override bool CanRead => true;

    public override bool CanWrite => true;

    public override bool CanSeek => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        while (true)
        {
            var result = await input.ReadAsync(cancellationToken);
            var source = result.Buffer;
            if (!source.IsEmpty)
            {
                var count = (int)Math.Min(source.Length, buffer.Length);
                var taken = source.Slice(0, count);
                taken.CopyTo(buffer.Span);
                input.AdvanceTo(taken.End);
                return count;
            }

            input.AdvanceTo(source.End);
            if (result.IsCompleted || result.IsCanceled)
            {
                return 0;
            }
        }
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_beforeFirstWrite is { } first)
        {
            _beforeFirstWrite = null;
            first();
        }

        output.Write(buffer.Span);
        if (_holdingForClose)
        {
            _held = true;
            return;
        }

        if (_handshakeFinished is { } finished && finished())
        {
            // The handshake's tail: this write and the flush SslStream makes after it wait for the greeting.
            _handshakeFinished = null;
            _held = _tailHeld = true;
            return;
        }

        _held = false;
        await output.FlushAsync(cancellationToken);
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    /// <summary>
    /// During a server handshake: the first write made once <paramref name="handshakeFinished"/> says the handshake is
    /// complete (the TLS 1.3 session ticket, or TLS 1.2's last flight) and the flush after it are held back, so those
    /// records leave with the first reply the server writes. Only for protocols where the server speaks first (implicit
    /// TLS): after STLS the client speaks first and must not wait for records held here.
    /// </summary>
    public void HoldHandshakeTail(Func<bool> handshakeFinished) => _handshakeFinished = handshakeFinished;

    /// <summary>
    /// The handshake is over: from now on writes are application data and none is held as the handshake's tail. A
    /// handshake may end without a write after it (a resumed TLS 1.2 session ends with the client's Finished), and
    /// then the greeting must not be taken for the tail.
    /// </summary>
    public void EndHandshake() => _handshakeFinished = null;

    /// <summary>Writes and flushes are held from now until <see cref="ReleaseAsync"/>: the last reply leaves with close_notify.</summary>
    public void HoldUntilClose() => _holdingForClose = true;

    /// <summary>Stops holding and sends whatever was held (no flush when nothing was).</summary>
    public async ValueTask ReleaseAsync(CancellationToken cancellationToken = default)
    {
        _handshakeFinished = null;
        _holdingForClose = _tailHeld = false;
        if (_held)
        {
            _held = false;
            await output.FlushAsync(cancellationToken);
        }
    }

    public override async Task FlushAsync(CancellationToken cancellationToken)
    {
        if (_holdingForClose)
        {
            _held = true;
            return;
        }

        if (_tailHeld)
        {
            _tailHeld = false;
            return;
        }

        _held = false;
        await output.FlushAsync(cancellationToken);
    }

    // The server is async end to end; a synchronous call here would be a bug worth seeing.
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException("Use ReadAsync.");

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException("Use WriteAsync.");

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();
}
