using System.Buffers;
using System.Text;
using Postino.Protocols.Pop2;

namespace Postino.Protocols.Tests.Pop2;

public sealed class Pop2CommandReaderTests
{
    private static readonly string Script =
        "HELO alice pass word\r\n" +
        "fold Sent\\ Items\r\n" +
        "READ 12\r\n" +
        "RETR\r\n" +
        "ACKD\r\n" +
        "\r\n" +
        new string('X', 510) + "\r\n" +
        new string('Y', 511) + "\r\n" +
        "NACK\n" +
        "QUIT\r\n";

    private static readonly string[] Expected =
    [
        "HELO alice ********",
        "FOLD Sent Items",
        "READ 12",
        "RETR",
        "ACKD",
        "error EmptyLine",
        "error UnknownCommand",
        "error LineTooLong",
        "NACK",
        "QUIT",
    ];

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(7)]
    [InlineData(64)]
    [InlineData(512)]
    public void Commands_come_out_the_same_at_every_chunk_size(int chunkSize)
    {
        var input = Encoding.UTF8.GetBytes(Script);
        var reader = new Pop2CommandReader();
        var results = new List<Pop2ParseResult>();
        var pending = Array.Empty<byte>();

        for (var offset = 0; offset < input.Length; offset += chunkSize)
        {
            var chunk = input.AsSpan(offset, Math.Min(chunkSize, input.Length - offset));
            var buffer = new ReadOnlySequence<byte>([.. pending, .. chunk]);
            while (reader.TryRead(ref buffer, out var result))
            {
                results.Add(result);
            }

            pending = buffer.ToArray();
        }

        Assert.Empty(pending);
        Assert.Equal(Expected, results.Select(r => r.ToString()));
        Assert.Equal("pass word", results[0].Command!.Password);
    }

    [Fact]
    public void A_line_of_exactly_512_octets_with_crlf_is_accepted()
    {
        var line = "FOLD " + new string('a', 505) + "\r\n";
        Assert.Equal(512, line.Length);
        var buffer = new ReadOnlySequence<byte>(Encoding.ASCII.GetBytes(line));

        Assert.True(new Pop2CommandReader().TryRead(ref buffer, out var result));

        Assert.Equal(Pop2Verb.Fold, result.Command!.Verb);
        Assert.Equal(505, result.Command.Mailbox!.Length);
    }

    [Fact]
    public void A_line_of_513_octets_is_too_long_even_before_its_end_arrives()
    {
        var buffer = new ReadOnlySequence<byte>(Encoding.ASCII.GetBytes("FOLD " + new string('a', 508)));

        Assert.True(new Pop2CommandReader().TryRead(ref buffer, out var result));

        Assert.Equal(Pop2CommandError.LineTooLong, result.Error);
    }

    [Fact]
    public void A_partial_line_waits_for_more()
    {
        var buffer = new ReadOnlySequence<byte>("REA"u8.ToArray());

        Assert.False(new Pop2CommandReader().TryRead(ref buffer, out _));
        Assert.Equal(3, buffer.Length);
    }
}
