using System.Buffers;
using System.IO.Pipelines;

namespace Postino.Server.Tests.Pop2.Support;

/// <summary>
/// A pipe reader over fixed input that releases one chunk of <c>chunkSize</c> octets each time the reader has
/// examined everything it was given, like a socket delivering small segments. The buffer is made of one segment per
/// chunk, so parsers also see lines split across segments. After the last chunk the input reports completion.
/// </summary>
public sealed class ChunkedPipeReader : PipeReader
{
    private readonly ReadOnlySequence<byte> _all;
    private readonly int _chunkSize;
    private long _consumed;
    private long _examined;
    private long _available;

    public ChunkedPipeReader(byte[] input, int chunkSize)
    {
        _chunkSize = chunkSize;
        _all = BuildSegments(input, chunkSize);
    }

    public override void AdvanceTo(SequencePosition consumed) => AdvanceTo(consumed, consumed);

    public override void AdvanceTo(SequencePosition consumed, SequencePosition examined)
    {
        _consumed = _all.Slice(0, consumed).Length;
        _examined = Math.Max(_all.Slice(0, examined).Length, _consumed);
    }

    public override void CancelPendingRead()
    {
    }

    public override void Complete(Exception? exception = null)
    {
    }

    public override ValueTask<ReadResult> ReadAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (_examined >= _available && _available < _all.Length)
        {
            _available = Math.Min(_available + _chunkSize, _all.Length);
        }

        return ValueTask.FromResult(Current());
    }

    public override bool TryRead(out ReadResult result)
    {
        result = Current();
        return _available > _consumed || _available == _all.Length;
    }

    private ReadResult Current() =>
        new(_all.Slice(_consumed, _available - _consumed), isCanceled: false, isCompleted: _available == _all.Length);

    private static ReadOnlySequence<byte> BuildSegments(byte[] input, int chunkSize)
    {
        if (input.Length == 0)
        {
            return ReadOnlySequence<byte>.Empty;
        }

        var first = new Segment(input.AsMemory(0, Math.Min(chunkSize, input.Length)), 0);
        var last = first;
        for (var offset = chunkSize; offset < input.Length; offset += chunkSize)
        {
            last = last.Append(input.AsMemory(offset, Math.Min(chunkSize, input.Length - offset)));
        }

        return new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length);
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory, long runningIndex)
        {
            Memory = memory;
            RunningIndex = runningIndex;
        }

        public Segment Append(ReadOnlyMemory<byte> memory)
        {
            var next = new Segment(memory, RunningIndex + Memory.Length);
            Next = next;
            return next;
        }
    }
}
