using Microsoft.Win32.SafeHandles;
using Postino.Storage.Files;
using Postino.Storage.Threading;

namespace Postino.Server.Delivery;

/// <summary>
/// Spools messages to files in a private folder (the data folder's <c>spool/</c>), which must belong to the running
/// user and be closed to others (<see cref="PrivateFolder"/>): checked at every message, so a folder swapped or opened
/// up while the server runs is refused too. Each file is created 0600 with O_EXCL and unlinked at once on Unix: from
/// then on the one open handle is the only way to it, every read goes through that handle, and nobody can reopen,
/// read or replace the content by its name. A crash leaves nothing but what the kernel frees, except a file caught
/// between its creation and its unlink, which <see cref="SpoolFolderStartup"/> removes at the next start.
/// Nothing here needs to be durable: a message is only acknowledged after the store has it.
/// </summary>
public sealed class FileMessageSpool(string directory) : IMessageSpool
{
    /// <summary>The names spool files have (for the orphan sweep at start).</summary>
    public const string FilePrefix = "postino-spool-";

    private const int BufferSize = 64 * 1024;

    public string Directory { get; } = directory;

    public async ValueTask<ISpooledMessage> CreateAsync(CancellationToken cancellationToken)
    {
        // Folder checks and a file made and unlinked: never on a socket's event thread.
        await OffEventLoop.Yield();
        PrivateFolder.Ensure(Directory);
        var path = Path.Combine(Directory, $"{FilePrefix}{Guid.NewGuid():N}.tmp");
        var options = PrivateFiles.CreateNew(FileAccess.ReadWrite, FileOptions.Asynchronous, BufferSize);
        if (OperatingSystem.IsWindows())
        {
            // No unlinking an open file there: the system removes it when the handle closes.
            options.Share = FileShare.Delete;
            options.Options |= FileOptions.DeleteOnClose;
        }

        var stream = new FileStream(path, options);
        if (!OperatingSystem.IsWindows())
        {
            try
            {
                File.Delete(path);
            }
            catch
            {
                stream.Dispose();
                throw;
            }
        }

        return new SpoolFile(stream);
    }

    private sealed class SpoolFile(FileStream stream) : ISpooledMessage
    {
        public long Length { get; private set; }

        public async ValueTask WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
        {
            await stream.WriteAsync(data, cancellationToken);
            Length += data.Length;
        }

        public async ValueTask<Stream> OpenReadAsync(CancellationToken cancellationToken)
        {
            await stream.FlushAsync(cancellationToken);
            return new SpoolReadStream(stream.SafeFileHandle, Length);
        }

        public ValueTask DisposeAsync() => stream.DisposeAsync();
    }

    /// <summary>Reads the spool file through the writer's own handle, at its own offset; disposing it leaves the handle open.</summary>
    private sealed class SpoolReadStream(SafeFileHandle handle, long length) : Stream
    {
        private long _position;

        public override bool CanRead => true;

        public override bool CanSeek => true;

        public override bool CanWrite => false;

        public override long Length => length;

        public override long Position
        {
            get => _position;
            set => _position = Math.Clamp(value, 0, length);
        }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            var read = RandomAccess.Read(handle, buffer[..Wanted(buffer.Length)], _position);
            _position += read;
            return read;
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            var read = await RandomAccess.ReadAsync(handle, buffer[..Wanted(buffer.Length)], _position, cancellationToken);
            _position += read;
            return read;
        }

        public override long Seek(long offset, SeekOrigin origin) => Position = origin switch
        {
            SeekOrigin.Begin => offset,
            SeekOrigin.Current => _position + offset,
            _ => length + offset,
        };

        public override void Flush()
        {
        }

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        // Only what was written when this reader was made: a later write must not show up in a delivery under way.
        private int Wanted(int room) => (int)Math.Min(room, length - _position);
    }
}
