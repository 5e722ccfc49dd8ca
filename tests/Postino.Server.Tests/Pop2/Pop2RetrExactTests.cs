using System.Text;
using Postino.Protocols.Text;
using Postino.Server.Tests.Pop2.Fakes;
using Postino.Server.Tests.Pop2.Support;

namespace Postino.Server.Tests.Pop2;

/// <summary>
/// READ announces c and RETR sends exactly c octets of the CRLF form, for every way a message can be stored; the
/// next reply starts right after them (a client reading c octets stays in step).
/// </summary>
public sealed class Pop2RetrExactTests
{
    public static TheoryData<string, int> Cases()
    {
        var data = new TheoryData<string, int>();
        foreach (var name in Messages.Keys)
        {
            data.Add(name, 1);
            data.Add(name, 4096);
        }

        return data;
    }

    private static readonly Dictionary<string, byte[]> Messages = new()
    {
        ["lf"] = "From: a@example.org\nSubject: lf\n\nline one\nline two\n"u8.ToArray(),
        ["crlf"] = "From: a@example.org\r\nSubject: crlf\r\n\r\nline one\r\nline two\r\n"u8.ToArray(),
        ["mixed"] = "From: a@example.org\r\nSubject: mixed\n\r\nline one\nline two\r\n"u8.ToArray(),
        ["no-final-newline-lf"] = "From: a@example.org\n\nno newline"u8.ToArray(),
        ["no-final-newline-crlf"] = "From: a@example.org\r\n\r\nno newline"u8.ToArray(),
        ["trailing-lone-cr"] = "From: a@example.org\r\n\r\nends in CR\r"u8.ToArray(),
        ["lone-cr-inside"] = "From: a@example.org\n\nbare\rcr inside\n"u8.ToArray(),
        ["8bit-latin1"] = [.. "From: a@example.org\nSubject: 8bit\n\n"u8, 0xE9, 0xFC, 0xFF, 0x80, (byte)'\n'],
        ["8bit-utf8"] = "From: a@example.org\n\nGrüße — €\n"u8.ToArray(),
        ["empty-body"] = "From: a@example.org\nSubject: empty\n\n"u8.ToArray(),
        ["headers-only"] = "From: a@example.org\nSubject: bare"u8.ToArray(),
        ["dot-lines"] = "From: a@example.org\n\n.\n..\n.x\n"u8.ToArray(),
        ["blank-lines"] = "\n\n\n"u8.ToArray(),
        ["large"] = Encoding.ASCII.GetBytes("Subject: large\n\n" + string.Concat(Enumerable.Range(0, 20000).Select(i => $"line {i} of a long message body\n"))),
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Retr_sends_exactly_the_announced_octets(string name, int readChunk)
    {
        var stored = Messages[name];
        var bed = new Pop2TestBed();
        bed.Authenticator.AddUser("alice", "pw");
        bed.Store.AddMessage("alice", "INBOX", stored);
        bed.Store.OpenStream = bytes => new TrickleStream(bytes, readChunk);
        var input = "HELO alice pw\r\nREAD 1\r\nRETR\r\nNACK\r\nRETR\r\nACKS\r\nQUIT\r\n"u8.ToArray();

        var (output, end) = await bed.RunAsync(input, 7);

        var expected = ReferenceWireForm(stored);
        var reader = new Pop2Output(output);
        Assert.StartsWith("+ POP2", reader.Line(), StringComparison.Ordinal);
        Assert.Equal("#1 messages in INBOX", reader.Line());
        var announced = reader.Length();
        Assert.Equal(expected.Length, announced);
        Assert.Equal(await MessageEncoder.MeasureAsync(new MemoryStream(stored), CancellationToken.None), announced);
        Assert.Equal(expected, reader.Octets(announced));
        Assert.Equal(announced, reader.Length());
        Assert.Equal(expected, reader.Octets(announced));
        Assert.Equal("=0 no message 2", reader.Line());
        Assert.Equal("+ Postino POP2 server signing off", reader.Line());
        Assert.True(reader.AtEnd);
        Assert.Equal(Postino.Server.Pop2.Pop2SessionEnd.Quit, end);
    }

    /// <summary>An independent statement of RFC 937's transmitted form: CRLF line ends, a final CRLF added when missing.</summary>
    private static byte[] ReferenceWireForm(byte[] stored)
    {
        var result = new List<byte>();
        var lines = new List<byte[]>();
        var start = 0;
        for (var i = 0; i < stored.Length; i++)
        {
            if (stored[i] == (byte)'\n')
            {
                lines.Add(stored[start..i]);
                start = i + 1;
            }
        }

        if (start < stored.Length)
        {
            lines.Add(stored[start..]);
        }

        foreach (var line in lines)
        {
            var content = line.Length > 0 && line[^1] == (byte)'\r' ? line[..^1] : line;
            result.AddRange(content);
            result.Add((byte)'\r');
            result.Add((byte)'\n');
        }

        return [.. result];
    }
}
