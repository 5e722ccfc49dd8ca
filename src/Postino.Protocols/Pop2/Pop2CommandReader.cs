using System.Buffers;
using Postino.Protocols.Text;

namespace Postino.Protocols.Pop2;

/// <summary>
/// Resumable reader of POP2 command lines: feed it whatever bytes have arrived, in chunks of any size, and it returns
/// each command (or parse error) once its whole line is there. Lines over 512 octets give
/// <see cref="Pop2CommandError.LineTooLong"/>.
/// </summary>
public sealed class Pop2CommandReader
{
    private readonly LineReader _lines = new(Pop2Limits.MaxCommandLength);

    /// <summary>
    /// Reads the next command from the start of <paramref name="buffer"/>, slicing off what it consumed.
    /// Returns false when a whole line has not arrived yet.
    /// </summary>
    public bool TryRead(ref ReadOnlySequence<byte> buffer, out Pop2ParseResult result)
    {
        switch (_lines.TryReadLine(ref buffer, out var line))
        {
            case LineReadStatus.Line:
                result = Pop2CommandParser.Parse(line);
                return true;
            case LineReadStatus.TooLong:
                result = Pop2ParseResult.Failed(Pop2CommandError.LineTooLong);
                return true;
            default:
                result = default;
                return false;
        }
    }
}
