using System.Globalization;
using System.Text;

namespace Postino.Server.Tests.Pop2.Support;

/// <summary>Walks through a POP2 server's output the way a client does: reply lines, then counted data.</summary>
public sealed class Pop2Output(byte[] bytes)
{
    private int _position;

    public bool AtEnd => _position == bytes.Length;

    public string Line()
    {
        var end = bytes.AsSpan(_position).IndexOf("\r\n"u8);
        Assert.True(end >= 0, $"no CRLF-terminated line at offset {_position}");
        var line = Encoding.UTF8.GetString(bytes, _position, end);
        _position += end + 2;
        return line;
    }

    /// <summary>Reads a <c>=c</c> line and returns c.</summary>
    public long Length()
    {
        var line = Line();
        Assert.StartsWith("=", line, StringComparison.Ordinal);
        var digits = new string([.. line.Skip(1).TakeWhile(char.IsAsciiDigit)]);
        return long.Parse(digits, CultureInfo.InvariantCulture);
    }

    public byte[] Octets(long count)
    {
        Assert.True(bytes.Length - _position >= count, $"expected {count} octets, only {bytes.Length - _position} left");
        var data = bytes.AsSpan(_position, (int)count).ToArray();
        _position += (int)count;
        return data;
    }

    public byte[] Rest()
    {
        var rest = bytes.AsSpan(_position).ToArray();
        _position = bytes.Length;
        return rest;
    }
}
