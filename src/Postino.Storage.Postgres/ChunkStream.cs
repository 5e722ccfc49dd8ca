using Npgsql;

namespace Postino.Storage.Postgres;

/// <summary>
/// A message body read from its chunks a few at a time, each batch on a pooled connection given back at once: a slow
/// client holds at most <see cref="BatchChunks"/> chunks in memory and no connection while it is not reading.
/// </summary>
internal sealed class ChunkStream(PostgresMailStore store, string user, long messageId, long length) : Stream
{
    private const int BatchChunks = 4;
    private readonly Queue<byte[]> _chunks = new();
    private byte[]? _current;
    private int _offset;
    private int _nextSeq;
    private bool _exhausted;
    private long _position;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => length;

    public override long Position
    {
        get => _position;
        set => throw new NotSupportedException();
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (buffer.IsEmpty)
        {
            return 0;
        }

        while (_current is null || _offset == _current.Length)
        {
            if (_chunks.Count == 0)
            {
                if (_exhausted)
                {
                    return 0;
                }

                await FetchAsync(cancellationToken);
                continue;
            }

            _current = _chunks.Dequeue();
            _offset = 0;
        }

        var count = Math.Min(buffer.Length, _current.Length - _offset);
        _current.AsMemory(_offset, count).CopyTo(buffer);
        _offset += count;
        _position += count;
        return count;
    }

    public override int Read(byte[] buffer, int offset, int count) =>
        ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    private async Task FetchAsync(CancellationToken cancellationToken)
    {
        store.CountChunkRead();
        await using var command = store.DataSource.CreateCommand(
            "SELECT data FROM postino_chunks WHERE user_name = $1 AND message_id = $2 AND seq >= $3 ORDER BY seq LIMIT $4");
        command.Parameters.Add(new NpgsqlParameter { Value = user });
        command.Parameters.Add(new NpgsqlParameter { Value = messageId });
        command.Parameters.Add(new NpgsqlParameter { Value = _nextSeq });
        command.Parameters.Add(new NpgsqlParameter { Value = BatchChunks });
        var fetched = await Db.RunAsync(async () =>
        {
            var count = 0;
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                _chunks.Enqueue(reader.GetFieldValue<byte[]>(0));
                count++;
            }

            return count;
        });
        if (fetched == 0 && _nextSeq == 0 && length > 0)
        {
            throw new StorageException($"message {messageId} of {user} has been removed") { IsTemporary = false };
        }

        _nextSeq += fetched;
        _exhausted = fetched < BatchChunks;
    }
}
