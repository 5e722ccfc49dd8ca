namespace Postino.Server.Delivery;

/// <summary>
/// Spools messages to temporary files in a directory. The files are opened delete-on-close, so a crash or an
/// abandoned transfer leaves at most an unlinked file the kernel frees; nothing here needs to be durable, because
/// a message is only acknowledged after the store has it.
/// </summary>
public sealed class FileMessageSpool(string directory) : IMessageSpool
{
    private const int BufferSize = 64 * 1024;

    public string Directory { get; } = directory;

    public ValueTask<ISpooledMessage> CreateAsync(CancellationToken cancellationToken)
    {
        System.IO.Directory.CreateDirectory(Directory);
        var path = Path.Combine(Directory, $"postino-spool-{Guid.NewGuid():N}.tmp");
        var stream = new FileStream(
            path,
            FileMode.CreateNew,
            FileAccess.ReadWrite,
            FileShare.Read | FileShare.Delete,
            BufferSize,
            FileOptions.Asynchronous | FileOptions.DeleteOnClose);
        return ValueTask.FromResult<ISpooledMessage>(new SpoolFile(path, stream));
    }

    private sealed class SpoolFile(string path, FileStream stream) : ISpooledMessage
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
            return new FileStream(
                path,
                FileMode.Open,
                FileAccess.Read,
                FileShare.ReadWrite | FileShare.Delete,
                BufferSize,
                FileOptions.Asynchronous | FileOptions.SequentialScan);
        }

        public ValueTask DisposeAsync() => stream.DisposeAsync();
    }
}
