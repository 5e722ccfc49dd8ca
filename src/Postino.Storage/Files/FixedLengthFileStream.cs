using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

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

    public override unsafe int Read(Span<byte> buffer)
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
                    var read = UnixNative.PRead(fd, pointer, wanted, _position);
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

    // A file opened without O_DIRECT has no asynchronous read on Linux: an "async" read would run the same pread on
    // another pool thread, a hop per chunk for nothing. So the read happens here and the task is already complete.
    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            return ValueTask.FromCanceled<int>(cancellationToken);
        }

        try
        {
            return ValueTask.FromResult(Read(buffer.Span));
        }
        catch (Exception exception)
        {
            return ValueTask.FromException<int>(exception);
        }
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

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
