using System.Text;

namespace Postino.Fetch.Tests.Support;

/// <summary>
/// A fake server connection that replays a transcript of <c>C: </c> / <c>S: </c> lines: reads return the next server
/// bytes at most <see cref="ChunkSize"/> at a time, writes must match the next client lines exactly. A client that
/// reads while the transcript waits for it to send, or sends something else, fails the test.
/// </summary>
internal sealed class TranscriptStream : Stream
{
    private readonly List<(bool FromServer, byte[] Data)> _steps;
    private int _step;
    private int _offset;

    public TranscriptStream(IEnumerable<string> lines, int chunkSize)
    {
        ChunkSize = chunkSize;
        _steps = [];
        foreach (var line in lines)
        {
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            var fromServer = line.StartsWith("S: ", StringComparison.Ordinal) || line == "S:";
            if (!fromServer && !line.StartsWith("C: ", StringComparison.Ordinal) && line != "C:")
            {
                throw new FormatException($"Transcript line without C:/S: prefix: {line}");
            }

            var bytes = Encoding.UTF8.GetBytes((line.Length > 3 ? line[3..] : string.Empty) + "\r\n");
            if (_steps.Count > 0 && _steps[^1].FromServer == fromServer)
            {
                _steps[^1] = (fromServer, [.. _steps[^1].Data, .. bytes]);
            }
            else
            {
                _steps.Add((fromServer, bytes));
            }
        }
    }

    public static TranscriptStream FromFile(string name, int chunkSize) =>
        new(File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "Transcripts", name)), chunkSize);

    public int ChunkSize { get; }

    /// <summary>True when every line of the transcript was read or written.</summary>
    public bool IsComplete => _step >= _steps.Count;

    public bool Disposed { get; private set; }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        if (IsComplete)
        {
            return 0;
        }

        var (fromServer, data) = _steps[_step];
        if (!fromServer)
        {
            throw new InvalidOperationException(
                $"The client reads, but the transcript expects it to send: {Encoding.UTF8.GetString(data, _offset, data.Length - _offset)}");
        }

        var n = Math.Min(Math.Min(ChunkSize, buffer.Length), data.Length - _offset);
        data.AsSpan(_offset, n).CopyTo(buffer);
        Advance(n, data.Length);
        return n;
    }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(Read(buffer.Span));

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        Task.FromResult(Read(buffer.AsSpan(offset, count)));

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        while (!buffer.IsEmpty)
        {
            if (IsComplete || _steps[_step].FromServer)
            {
                throw new InvalidOperationException($"The client sent unexpected data: {Encoding.UTF8.GetString(buffer)}");
            }

            var data = _steps[_step].Data;
            var n = Math.Min(buffer.Length, data.Length - _offset);
            if (!buffer[..n].SequenceEqual(data.AsSpan(_offset, n)))
            {
                throw new InvalidOperationException(
                    $"The client sent \"{Encoding.UTF8.GetString(buffer)}\" where the transcript expects \"{Encoding.UTF8.GetString(data, _offset, data.Length - _offset)}\"");
            }

            buffer = buffer[n..];
            Advance(n, data.Length);
        }
    }

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        Write(buffer.Span);
        return ValueTask.CompletedTask;
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
    {
        Write(buffer.AsSpan(offset, count));
        return Task.CompletedTask;
    }

    public override void Flush()
    {
    }

    public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        Disposed = true;
        base.Dispose(disposing);
    }

    private void Advance(int n, int length)
    {
        _offset += n;
        if (_offset == length)
        {
            _step++;
            _offset = 0;
        }
    }
}
