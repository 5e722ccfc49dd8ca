using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;
using Postino.Storage.Threading;

namespace Postino.Storage.Files;

/// <summary>
/// A file that is replaced, never changed in place (a delivered Maildir message: a new flag renames it; the index:
/// every write renames a new file over it), read front to back with pread(2) up to the length the open's fstat gave.
/// FileStream asks the kernel for its position twice when it is made (two lseek calls), once more for its length, and
/// needs one more read to find the end: on a 4 KiB message that was 5 system calls of 8. A file that shrank since the
/// open ends early (a short read), as it would with FileStream.
/// </summary>
internal sealed class FixedLengthFileStream : Stream
{
    private const int EINTR = 4;

    private readonly SafeFileHandle _handle;
    private readonly long _length;
    private long _position;

    public FixedLengthFileStream(SafeFileHandle handle, long length)
    {
        _handle = handle;
        _length = length;
    }

    public override bool CanRead => !_handle.IsClosed;

    public override bool CanSeek => !_handle.IsClosed;

    public override bool CanWrite => false;

    public override long Length => _length;

    public override long Position
    {
        get => _position;
        set => _position = value >= 0 ? value : throw new ArgumentOutOfRangeException(nameof(value));
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer) => ReadAt(buffer, cachedOnly: false)!.Value;

    // A file opened without O_DIRECT has no asynchronous read on Linux: an "async" read would run the same pread on
    // another pool thread, a hop per chunk for nothing. So the read happens here and the task is already complete; on a
    // socket's event thread only what the page cache holds is read here (RWF_NOWAIT), and a read that would wait for
    // the disk moves to a pool thread first.
    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            return ValueTask.FromCanceled<int>(cancellationToken);
        }

        try
        {
            if (!OffEventLoop.IsEventThread)
            {
                return ValueTask.FromResult(Read(buffer.Span));
            }

            return TryReadCached(buffer.Span) is { } read ? ValueTask.FromResult(read) : ReadOnPoolAsync(buffer);
        }
        catch (Exception exception)
        {
            return ValueTask.FromException<int>(exception);
        }
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    private async ValueTask<int> ReadOnPoolAsync(Memory<byte> buffer)
    {
        await OffEventLoop.Yield();
        return Read(buffer.Span);
    }

    /// <summary>What the page cache holds of the next bytes, or null when reading them would wait (or failed: the
    /// ordinary read then says why).</summary>
    internal int? TryReadCached(Span<byte> buffer) => ReadAt(buffer, cachedOnly: true);

    /// <summary>
    /// One pread at the position, up to the length the open saw: an ordinary one (retried after EINTR, an error thrown),
    /// or with <paramref name="cachedOnly"/> one that never waits for the disk, null when it would have (or failed).
    /// </summary>
    private unsafe int? ReadAt(Span<byte> buffer, bool cachedOnly)
    {
        ObjectDisposedException.ThrowIf(_handle.IsClosed, this);
        var wanted = (int)Math.Min(buffer.Length, _length - _position);
        if (wanted <= 0)
        {
            return 0;
        }

        var added = false;
        try
        {
            _handle.DangerousAddRef(ref added);
            var fd = (int)_handle.DangerousGetHandle();
            fixed (byte* pointer = buffer)
            {
                while (true)
                {
                    var read = cachedOnly
                        ? UnixNative.PReadNoWait(fd, pointer, wanted, _position)
                        : UnixNative.PRead(fd, pointer, wanted, _position);

                    // 0 before the length the open saw is no end of file for a cached-only read: some kernels said 0
                    // for "would wait" (and a file that shrank reads 0 again on the pool).
                    if (cachedOnly && read <= 0)
                    {
                        return null;
                    }

                    if (read >= 0)
                    {
                        _position += read;
                        return (int)read;
                    }

                    var errno = Marshal.GetLastPInvokeError();
                    if (errno != EINTR)
                    {
                        throw new IOException($"cannot read the file (errno {errno})", errno);
                    }
                }
            }
        }
        finally
        {
            if (added)
            {
                _handle.DangerousRelease();
            }
        }
    }

    public override long Seek(long offset, SeekOrigin origin)
    {
        Position = origin switch
        {
            SeekOrigin.Begin => offset,
            SeekOrigin.Current => _position + offset,
            SeekOrigin.End => _length + offset,
            _ => throw new ArgumentOutOfRangeException(nameof(origin)),
        };
        return _position;
    }

    public override void Flush()
    {
    }

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _handle.Dispose();
        }

        base.Dispose(disposing);
    }
}
