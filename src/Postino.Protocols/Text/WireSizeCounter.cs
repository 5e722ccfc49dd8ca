namespace Postino.Protocols.Text;

/// <summary>
/// The wire size of a stored message (CRLF line ends, a final CRLF when missing, no dot-stuffing), counted chunk by
/// chunk without writing the wire form: the stored size, plus one octet per LF that has no CR before it, plus the
/// final line end. Agrees with <see cref="MessageEncoder"/> octet for octet.
/// </summary>
public sealed class WireSizeCounter
{
    private long _stored;
    private long _bareLineFeeds;
    private byte _last;

    /// <summary>The wire size of what was added so far, as if the message ended here.</summary>
    public long Total => _stored + _bareLineFeeds + _stored switch
    {
        0 => 0,
        _ when _last == (byte)'\n' => 0,
        _ when _last == (byte)'\r' => 1,
        _ => 2,
    };

    /// <summary>Counts the next chunk of the stored message.</summary>
    public void Add(ReadOnlySpan<byte> chunk)
    {
        if (chunk.IsEmpty)
        {
            return;
        }

        // Vectorised counts: every LF, less those preceded by a CR (inside the chunk, and across the chunk boundary).
        var lineFeeds = chunk.Count((byte)'\n');
        var crlf = chunk.Count("\r\n"u8);
        if (_last == (byte)'\r' && chunk[0] == (byte)'\n')
        {
            crlf++;
        }

        _bareLineFeeds += lineFeeds - crlf;
        _stored += chunk.Length;
        _last = chunk[^1];
    }
}
