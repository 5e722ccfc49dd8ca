using System.Buffers;
using Postino.Server.Tests.Pop3;

namespace Postino.Server.Tests.Tls;

/// <summary>The client's end of an in-memory POP3 connection as a Stream, so an SslStream can run over it after STLS.</summary>
internal sealed class TestConnectionStream(Pop3TestConnection connection) : Stream
{
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
        var reader = connection.FromServer;
        var result = await reader.ReadAsync(cancellationToken);
        var count = (int)Math.Min(result.Buffer.Length, buffer.Length);
        var taken = result.Buffer.Slice(0, count);
        taken.CopyTo(buffer.Span);
        reader.AdvanceTo(taken.End);
        return count;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) =>
        await connection.SendAsync(buffer.ToArray());

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public override void Flush()
    {
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();
}
