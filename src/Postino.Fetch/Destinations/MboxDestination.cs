using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Postino.Fetch.Durability;
using Postino.Storage.Files;

namespace Postino.Fetch.Destinations;

/// <summary>
/// Appends to an mbox file in mboxrd form: a <c>From </c> separator line, LF line ends, every line matching
/// <c>^&gt;*From </c> quoted with one more <c>&gt;</c>, and an empty line after the message. The file is locked
/// (flock and an fcntl lock) while appending and fsynced before the lock is released. The marker is the length and
/// SHA-256 of the appended block, so a crash after the append is recognised by the file's tail.
/// </summary>
public sealed class MboxDestination(string path, TimeProvider? timeProvider = null) : IMessageDestination
{
    private static readonly TimeSpan LockWait = TimeSpan.FromSeconds(30);
    private readonly string _path = Path.GetFullPath(path);
    private readonly TimeProvider _timeProvider = timeProvider ?? TimeProvider.System;

    public string Description => $"mbox:{_path}";

    public Task<IPendingDelivery> BeginAsync(CancellationToken cancellationToken) =>
        Task.FromResult<IPendingDelivery>(new Pending(this));

    public async Task<bool?> WasDeliveredAsync(string marker, CancellationToken cancellationToken)
    {
        var parts = marker.Split(':', 2);
        if (parts.Length != 2 || !long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var length) || !File.Exists(_path))
        {
            return false;
        }

        await using var file = new FileStream(_path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 64 * 1024, FileOptions.Asynchronous);
        if (file.Length < length)
        {
            return false;
        }

        file.Position = file.Length - length;
        var hash = await SHA256.HashDataAsync(new BoundedReadStream(file, length), cancellationToken);
        return Convert.ToHexStringLower(hash) == parts[1];
    }

    /// <summary>Writes the mboxrd form of an LF message read from <paramref name="source"/>.</summary>
    internal static async Task FormatAsync(Stream source, Stream destination, DateTimeOffset received, CancellationToken cancellationToken)
    {
        var separator = string.Create(CultureInfo.InvariantCulture, $"From MAILER-DAEMON {received.UtcDateTime:ddd MMM d HH:mm:ss yyyy}\n");
        await destination.WriteAsync(Encoding.ASCII.GetBytes(separator), cancellationToken);
        var reader = System.IO.Pipelines.PipeReader.Create(source, new System.IO.Pipelines.StreamPipeReaderOptions(leaveOpen: true));
        var endsWithLf = true;
        while (true)
        {
            var result = await reader.ReadAsync(cancellationToken);
            var buffer = result.Buffer;
            while (buffer.PositionOf((byte)'\n') is { } lf)
            {
                var line = buffer.Slice(0, buffer.GetPosition(1, lf));
                await WriteQuotedLineAsync(line, destination, cancellationToken);
                buffer = buffer.Slice(line.End);
            }

            if (result.IsCompleted)
            {
                if (!buffer.IsEmpty)
                {
                    await WriteQuotedLineAsync(buffer, destination, cancellationToken);
                    endsWithLf = false;
                }

                reader.AdvanceTo(buffer.End);
                break;
            }

            reader.AdvanceTo(buffer.Start, buffer.End);
        }

        await reader.CompleteAsync();
        await destination.WriteAsync(endsWithLf ? "\n"u8.ToArray() : "\n\n"u8.ToArray(), cancellationToken);
    }

    private static async Task WriteQuotedLineAsync(ReadOnlySequence<byte> line, Stream destination, CancellationToken cancellationToken)
    {
        var reader = new SequenceReader<byte>(line);
        reader.AdvancePast((byte)'>');
        if (reader.IsNext("From "u8))
        {
            await destination.WriteAsync(">"u8.ToArray(), cancellationToken);
        }

        foreach (var segment in line)
        {
            await destination.WriteAsync(segment, cancellationToken);
        }
    }

    private async Task<FileStream> OpenLockedAsync(CancellationToken cancellationToken)
    {
        var deadline = _timeProvider.GetUtcNow() + LockWait;
        while (true)
        {
            FileStream? file = null;
            try
            {
                // FileShare.None takes flock(LOCK_EX) on Unix; Lock() adds the fcntl lock other mail tools use.
                file = new FileStream(_path, PrivateFile.Options(FileMode.OpenOrCreate, FileAccess.ReadWrite, FileOptions.Asynchronous));
                if (!OperatingSystem.IsMacOS())
                {
                    file.Lock(0, long.MaxValue);
                }

                return file;
            }
            catch (IOException) when (_timeProvider.GetUtcNow() < deadline)
            {
                if (file is not null)
                {
                    await file.DisposeAsync();
                }

                await Task.Delay(TimeSpan.FromMilliseconds(100), _timeProvider, cancellationToken);
            }
        }
    }

    private sealed class Pending(MboxDestination destination) : IPendingDelivery
    {
        private readonly SpoolFile _raw = SpoolFile.Create();
        private SpoolFile? _formatted;
        private CrLfToLfStream? _content;

        public Stream Content => _content ??= new CrLfToLfStream(_raw.Stream);

        public async Task<string?> PrepareAsync(CancellationToken cancellationToken)
        {
            if (_content is not null)
            {
                await _content.CompleteAsync(cancellationToken);
            }

            await _raw.RewindAsync(cancellationToken);
            _formatted = SpoolFile.Create();
            await FormatAsync(_raw.Stream, _formatted.Stream, destination._timeProvider.GetUtcNow(), cancellationToken);
            await _formatted.RewindAsync(cancellationToken);
            var hash = await SHA256.HashDataAsync(_formatted.Stream, cancellationToken);
            var length = _formatted.Stream.Length;
            _formatted.Stream.Position = 0;
            return string.Create(CultureInfo.InvariantCulture, $"{length}:{Convert.ToHexStringLower(hash)}");
        }

        public async Task CommitAsync(CancellationToken cancellationToken)
        {
            var formatted = _formatted ?? throw new InvalidOperationException("PrepareAsync first.");
            var existed = File.Exists(destination._path);
            await using var mbox = await destination.OpenLockedAsync(cancellationToken);
            var start = mbox.Length;
            try
            {
                mbox.Position = start;
                await formatted.Stream.CopyToAsync(mbox, cancellationToken);
                await mbox.FlushAsync(cancellationToken);
                mbox.Flush(flushToDisk: true);
            }
            catch
            {
                // Leave the mbox as it was rather than with half a message at its end.
                mbox.SetLength(start);
                throw;
            }

            if (!existed)
            {
                DurableFiles.SyncDirectory(Path.GetDirectoryName(destination._path)!);
            }
        }

        public async ValueTask DisposeAsync()
        {
            await _raw.DisposeAsync();
            if (_formatted is not null)
            {
                await _formatted.DisposeAsync();
            }
        }
    }
}
