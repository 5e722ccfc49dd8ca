using System.Buffers;
using System.Text;
using Postino.Protocols.Pop3;

namespace Postino.Protocols.Tests.Pop3;

public class Pop3CommandParserTests
{
    public static readonly int[] ChunkSizes = [1, 2, 3, 7, 64, 512];

    /// <summary>Every wire line with the result it must give: "VERB|arguments" or "!Error".</summary>
    private static readonly (byte[] Wire, string Expected)[] Cases =
    [
        (Ascii("USER alice\r\n"), "USER|alice"),
        (Ascii("PASS secret with  spaces \r\n"), "PASS|secret with  spaces "),
        (Ascii("APOP mrose c4c9334bac560ecc979e58001b3e22fb\r\n"), "APOP|mrose c4c9334bac560ecc979e58001b3e22fb"),
        (Ascii("CAPA\r\n"), "CAPA|"),
        (Ascii("STAT\r\n"), "STAT|"),
        (Ascii("LIST\r\n"), "LIST|"),
        (Ascii("LIST 2\r\n"), "LIST|2"),
        (Ascii("RETR 1\r\n"), "RETR|1"),
        (Ascii("DELE 1\r\n"), "DELE|1"),
        (Ascii("NOOP\r\n"), "NOOP|"),
        (Ascii("RSET\r\n"), "RSET|"),
        (Ascii("TOP 1 99999999\r\n"), "TOP|1 99999999"),
        (Ascii("UIDL\r\n"), "UIDL|"),
        (Ascii("UIDL 3\r\n"), "UIDL|3"),
        (Ascii("QUIT\r\n"), "QUIT|"),
        (Ascii("quit\r\n"), "QUIT|"),
        (Ascii("rEtR 7\n"), "RETR|7"),
        (Ascii("STLS\r\n"), "STLS|"),
        (Ascii("AUTH PLAIN AGFsaWNlAHNlY3JldA==\r\n"), "AUTH|PLAIN AGFsaWNlAHNlY3JldA=="),
        (Ascii("RETR abc\r\n"), "RETR|abc"),
        (Ascii("PASS a\0b\r\n"), "PASS|a\0b"),
        ([.. "PASS "u8, 0xFF, 0xC3, (byte)'x', (byte)'\r', (byte)'\n'], "PASS|\uFFFD\uFFFDx"),
        (Ascii("\r\n"), "!EmptyLine"),
        (Ascii("   \r\n"), "!EmptyLine"),
        (Ascii(" RETR 1\r\n"), "!InvalidVerb"),
        (Ascii("RE\0TR 1\r\n"), "!InvalidVerb"),
        ([0xC3, 0xA9, (byte)'\r', (byte)'\n'], "!InvalidVerb"),
        (Ascii("ABCDEFGHIJKLMNOPQ\r\n"), "!InvalidVerb"),
        (Ascii("RETR " + new string('1', 250) + "\r\n"), "!LineTooLong"),
        (Ascii("PASS " + new string('x', 248) + "\r\n"), "PASS|" + new string('x', 248)),
        (Ascii("PASS " + new string('x', 249) + "\r\n"), "!LineTooLong"),
    ];

    public static TheoryData<int, int> EachCaseAtEachChunkSize()
    {
        var data = new TheoryData<int, int>();
        for (var i = 0; i < Cases.Length; i++)
        {
            foreach (var size in ChunkSizes)
            {
                data.Add(i, size);
            }
        }

        return data;
    }

    public static TheoryData<int> EachChunkSize() => [.. ChunkSizes];

    [Theory]
    [MemberData(nameof(EachCaseAtEachChunkSize))]
    public void Each_command_alone_parses_at_any_chunk_size(int caseIndex, int chunkSize)
    {
        var (wire, expected) = Cases[caseIndex];

        var results = Feed(wire, chunkSize);

        Assert.Equal([expected], results);
    }

    [Theory]
    [MemberData(nameof(EachChunkSize))]
    public void All_commands_concatenated_parse_in_order_at_any_chunk_size(int chunkSize)
    {
        var wire = Cases.SelectMany(c => c.Wire).ToArray();

        var results = Feed(wire, chunkSize);

        Assert.Equal(Cases.Select(c => c.Expected), results);
    }

    [Fact]
    public void An_over_long_line_without_end_is_reported_once_and_the_next_line_parses()
    {
        var wire = Ascii(new string('A', 1000) + "\r\nNOOP\r\n");

        var results = Feed(wire, 7);

        Assert.Equal(["!LineTooLong", "NOOP|"], results);
    }

    [Fact]
    public void A_partial_line_needs_more_data_and_consumes_nothing()
    {
        var parser = new Pop3CommandParser();
        var buffer = new ReadOnlySequence<byte>(Ascii("RETR 1"));

        var status = parser.TryParse(ref buffer, out var command, out var error);

        Assert.Equal(Pop3ParseStatus.NeedMoreData, status);
        Assert.Null(command);
        Assert.Equal(Pop3CommandError.None, error);
        Assert.Equal(6, buffer.Length);
    }

    [Theory]
    [InlineData("retr 1\r\n", "RETR")]
    [InlineData("Uidl\r\n", "UIDL")]
    [InlineData("top 1 2\r\n", "TOP")]
    [InlineData("UTF8\r\n", "UTF8")]
    public void A_known_verb_is_the_same_string_every_time_in_any_case(string line, string verb)
    {
        var first = Parse(line);
        var second = Parse(line.ToUpperInvariant());

        Assert.Equal(verb, first.Verb);
        Assert.Same(first.Verb, second.Verb);
    }

    [Fact]
    public void An_unknown_verb_is_upper_cased_too()
    {
        Assert.Equal("XTND", Parse("xtnd list\r\n").Verb);
    }

    [Fact]
    public void Args_split_on_runs_of_spaces()
    {
        var command = new Pop3Command("TOP", " 1   2 ");

        Assert.Equal(["1", "2"], command.Args);
    }

    private static Pop3Command Parse(string line)
    {
        var buffer = new ReadOnlySequence<byte>(Ascii(line));
        Assert.Equal(Pop3ParseStatus.Command, new Pop3CommandParser().TryParse(ref buffer, out var command, out _));
        return command!;
    }

    /// <summary>Feeds the wire bytes like a socket would, keeping unconsumed bytes for the next read.</summary>
    private static List<string> Feed(byte[] wire, int chunkSize)
    {
        var parser = new Pop3CommandParser();
        var results = new List<string>();
        var pending = new List<byte>();
        for (var offset = 0; offset < wire.Length; offset += chunkSize)
        {
            pending.AddRange(wire.AsSpan(offset, Math.Min(chunkSize, wire.Length - offset)));
            var buffer = new ReadOnlySequence<byte>(pending.ToArray());
            while (true)
            {
                var status = parser.TryParse(ref buffer, out var command, out var error);
                if (status == Pop3ParseStatus.NeedMoreData)
                {
                    break;
                }

                results.Add(status == Pop3ParseStatus.Command ? $"{command!.Verb}|{command.Arguments}" : $"!{error}");
            }

            pending = [.. buffer.ToArray()];
        }

        return results;
    }

    private static byte[] Ascii(string text) => Encoding.Latin1.GetBytes(text);
}
