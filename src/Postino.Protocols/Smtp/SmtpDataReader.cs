using System.Buffers;
using Postino.Protocols.Text;

namespace Postino.Protocols.Smtp;

/// <summary>
/// Reads the data of SMTP/LMTP DATA up to its terminating <c>.</c> line, unstuffing dots, resumable across buffer
/// refills. Enforces a size limit while the data streams: once the limit is passed, the rest is read and dropped
/// (so the session stays in step and can answer 552), and <see cref="LimitExceeded"/> is set. The data ends only at
/// <c>&lt;CRLF&gt;.&lt;CRLF&gt;</c> (SMTP smuggling): a bare LF or CR is read as data and reported in
/// <see cref="BareLineEnd"/>, and the session refuses such a message.
/// </summary>
public sealed class SmtpDataReader(long maxSize)
{
    private readonly DotUnstuffer _unstuffer = new(strict: true);
    private readonly LimitingWriter _limiter = new(maxSize);

    /// <summary>Octets of message data received so far (unstuffed), including any that were dropped.</summary>
    public long Size => _unstuffer.Written;

    /// <summary>The first line end that was not CRLF, if any: such a message must be refused.</summary>
    public BareLineEnd BareLineEnd => _unstuffer.BareLineEnd;

    /// <summary>True when the data grew past the limit; the output then holds only a prefix and must be discarded.</summary>
    public bool LimitExceeded => _limiter.Exceeded;

    /// <summary>Consumes as much of <paramref name="buffer"/> as it can; true when the terminator was consumed.</summary>
    public bool Read(ref ReadOnlySequence<byte> buffer, IBufferWriter<byte> output)
    {
        _limiter.Inner = output;
        try
        {
            return _unstuffer.Decode(ref buffer, _limiter);
        }
        finally
        {
            _limiter.Inner = null;
        }
    }

    /// <summary>Passes writes through until the limit, then swallows them into a scratch buffer.</summary>
    private sealed class LimitingWriter(long limit) : IBufferWriter<byte>
    {
        private byte[] _scratch = [];
        private long _written;

        public IBufferWriter<byte>? Inner { get; set; }

        public bool Exceeded { get; private set; }

        public void Advance(int count)
        {
            _written += count;
            if (!Exceeded && _written > limit)
            {
                Exceeded = true;
                return;
            }

            if (!Exceeded)
            {
                Inner!.Advance(count);
            }
        }

        public Memory<byte> GetMemory(int sizeHint = 0) => Exceeded ? Scratch(sizeHint) : Inner!.GetMemory(sizeHint);

        public Span<byte> GetSpan(int sizeHint = 0) => Exceeded ? Scratch(sizeHint).Span : Inner!.GetSpan(sizeHint);

        private Memory<byte> Scratch(int sizeHint)
        {
            var size = Math.Max(sizeHint, 4096);
            if (_scratch.Length < size)
            {
                _scratch = new byte[size];
            }

            return _scratch;
        }
    }
}
