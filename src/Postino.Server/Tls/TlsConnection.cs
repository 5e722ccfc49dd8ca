using System.IO.Pipelines;
using System.Net.Security;
using Microsoft.AspNetCore.Server.Kestrel.Core.Features;

namespace Postino.Server.Tls;

/// <summary>
/// A connection after a server TLS handshake: read and write through <see cref="Input"/> and <see cref="Output"/>
/// (the session swaps them in for the plaintext transport). Disposing sends close_notify and releases the stream; the
/// underlying transport stays the caller's.
/// </summary>
public sealed class TlsConnection : IDuplexPipe, ISslStreamFeature, IAsyncDisposable
{
    /// <summary>The most plaintext one TLS record carries.</summary>
    private const int RecordPlaintext = 16 * 1024;

    private readonly SslStream _stream;
    private readonly DuplexPipeStream _transport;
    private bool _outputClosed;

    internal TlsConnection(SslStream stream, DuplexPipeStream transport, TlsConnectionInfo info)
    {
        _stream = stream;
        _transport = transport;
        Info = info;
        // Zero-byte reads: an idle session waits for the peer's next record without a buffer of its own, and SslStream
        // (which forwards a zero-byte read to the transport) lends its record buffer back to the pool meanwhile, so
        // 10,000 idle POP3S sessions do not each pin a 4 KiB pipe segment and SslStream's read buffer.
        Input = PipeReader.Create(stream, new StreamPipeReaderOptions(leaveOpen: true, useZeroByteReads: true));
        // Buffers of a full record's plaintext (16 KiB, rented per flush and returned after it): a reply such as a
        // RETR status line with a 4 KiB message then fits one buffer, and each buffer is one SslStream write, so one
        // record (with 4 KiB buffers the status line and the message went out as two records, two encryptions).
        Output = PipeWriter.Create(stream, new StreamPipeWriterOptions(minimumBufferSize: RecordPlaintext, leaveOpen: true));
    }

    public PipeReader Input { get; }

    public PipeWriter Output { get; }

    /// <summary>The TLS stream under the pipes (tests look at its OpenSSL state).</summary>
    internal SslStream Stream => _stream;

    /// <inheritdoc/>
    SslStream ISslStreamFeature.SslStream => _stream;

    /// <summary>Protocol, cipher and channel binding of the handshake.</summary>
    public TlsConnectionInfo Info { get; }

    /// <summary>
    /// Ends the session's output: what the session writes and flushes through <paramref name="lastReplies"/> leaves in one
    /// send with close_notify, right away. Nothing may be written afterwards; <see cref="DisposeAsync"/> then only
    /// releases the connection.
    /// </summary>
    public async ValueTask CloseWithAsync(Func<ValueTask> lastReplies)
    {
        ArgumentNullException.ThrowIfNull(lastReplies);
        _transport.HoldUntilClose();
        await lastReplies();
        await CloseOutputAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await Input.CompleteAsync();
        await CloseOutputAsync();
        try
        {
            // SslStream flushes the transport once more as it goes.
            await _stream.DisposeAsync();
        }
        catch (Exception exception) when (IsGone(exception))
        {
            // Same: the stream is released all the same.
        }
    }

    // The last bytes and close_notify, once; a flush held until now (CloseWithAsync) goes out with them.
    private async ValueTask CloseOutputAsync()
    {
        if (_outputClosed)
        {
            return;
        }

        _outputClosed = true;
        try
        {
            await Output.CompleteAsync();
            await _stream.ShutdownAsync();
        }
        catch (Exception exception) when (IsGone(exception))
        {
            // The peer may already be gone (or the connection aborted); the last bytes and close_notify are a courtesy.
        }

        try
        {
            await _transport.ReleaseAsync();
        }
        catch (Exception exception) when (IsGone(exception))
        {
            // Same: whatever was held goes out with the transport's close, or not at all.
        }
    }

    private static bool IsGone(Exception exception) =>
        exception is IOException or ObjectDisposedException or InvalidOperationException or OperationCanceledException;
}
