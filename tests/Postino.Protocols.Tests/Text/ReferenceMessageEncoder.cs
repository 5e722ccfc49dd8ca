using System.Buffers;
using Postino.Protocols.Text;

namespace Postino.Protocols.Tests.Text;

/// <summary>
/// The line-by-line encoder the vectorised <see cref="MessageEncoder"/> replaced, kept as the oracle it must agree with
/// octet for octet.
/// Turns a stored message (LF or CRLF line ends, possibly without a final line end) into its wire form: CRLF line
/// ends, a final CRLF added when missing, dot-stuffed when asked (POP3 RETR/TOP, SMTP), and optionally cut after the
/// header and N body lines (POP3 TOP). Stateful across chunks, so a message is streamed, never held whole.
/// The POP3 terminator is not written here.
/// </summary>
internal sealed class ReferenceMessageEncoder(bool dotStuff, long? bodyLineLimit = null)
{
    private static readonly byte[] Crlf = "\r\n"u8.ToArray();
    private bool _atLineStart = true;
    private bool _pendingCr;
    private bool _lineHasContent;
    private bool _inHeader = true;
    private long _bodyLines;
    private bool _started;

    /// <summary>True once a TOP limit has been reached: the rest of the input can be left unread.</summary>
    public bool IsComplete { get; private set; }

    /// <summary>Encodes the next chunk of the stored message.</summary>
    public void Encode(ReadOnlySpan<byte> input, IBufferWriter<byte> output)
    {
        while (!input.IsEmpty && !IsComplete)
        {
            _started = true;
            if (_atLineStart)
            {
                if (bodyLineLimit is { } limit && !_inHeader && _bodyLines >= limit)
                {
                    IsComplete = true;
                    return;
                }

                _atLineStart = false;
                _lineHasContent = false;
                if (dotStuff && input[0] == (byte)'.')
                {
                    output.Write("."u8);
                }
            }

            var lf = input.IndexOf((byte)'\n');
            if (_pendingCr)
            {
                _pendingCr = false;
                if (lf != 0)
                {
                    // A CR not followed by LF is data, not a line end.
                    output.Write("\r"u8);
                    _lineHasContent = true;
                }
            }

            if (lf < 0)
            {
                var tail = input;
                if (tail[^1] == (byte)'\r')
                {
                    _pendingCr = true;
                    tail = tail[..^1];
                }

                output.Write(tail);
                _lineHasContent |= !tail.IsEmpty;
                return;
            }

            var content = input[..lf];
            if (!content.IsEmpty && content[^1] == (byte)'\r')
            {
                content = content[..^1];
            }

            output.Write(content);
            _lineHasContent |= !content.IsEmpty;
            output.Write(Crlf);
            EndLine();
            input = input[(lf + 1)..];
        }
    }

    /// <summary>Ends the message: adds the final CRLF when the stored message lacks one.</summary>
    public void Complete(IBufferWriter<byte> output)
    {
        if (IsComplete || !_started || _atLineStart)
        {
            return;
        }

        // A trailing lone CR is taken as the line end it was meant to be.
        _pendingCr = false;
        output.Write(Crlf);
        EndLine();
    }

    private void EndLine()
    {
        _atLineStart = true;
        if (_inHeader)
        {
            if (!_lineHasContent)
            {
                _inHeader = false;
            }
        }
        else
        {
            _bodyLines++;
        }
    }
}
