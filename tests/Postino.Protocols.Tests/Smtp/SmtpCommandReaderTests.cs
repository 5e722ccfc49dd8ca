using System.Buffers;
using System.Text;
using Postino.Protocols.Smtp;

namespace Postino.Protocols.Tests.Smtp;

public sealed class SmtpCommandReaderTests
{
    public static IEnumerable<object[]> ChunkSizes => Chunks.Sizes;

    [Theory]
    [MemberData(nameof(ChunkSizes))]
    public void Reads_pipelined_commands_at_any_chunk_size(int chunkSize)
    {
        var input = "EHLO client.example\r\nmail FROM:<a@b.example> SIZE=10\r\nRCPT TO:<c@d.example>\nNOOP\r\nXYZZY 1\r\nQUIT\r\n"u8.ToArray();
        var reader = new SmtpCommandReader();
        var commands = new List<SmtpCommand>();

        Chunks.Feed(input, chunkSize, (ref ReadOnlySequence<byte> buffer) =>
        {
            while (reader.TryRead(ref buffer, out var command) == SmtpReadStatus.Command)
            {
                commands.Add(command);
            }

            return true;
        });

        Assert.Equal(
            [SmtpVerb.Ehlo, SmtpVerb.Mail, SmtpVerb.Rcpt, SmtpVerb.Noop, SmtpVerb.Unknown, SmtpVerb.Quit],
            commands.Select(c => c.Verb));
        Assert.Equal("client.example", commands[0].Argument);
        Assert.Equal("FROM:<a@b.example> SIZE=10", commands[1].Argument);
        Assert.Equal("XYZZY", commands[4].Name);
    }

    [Theory]
    [MemberData(nameof(ChunkSizes))]
    public void Over_long_line_is_reported_once_and_the_next_command_is_read(int chunkSize)
    {
        var input = Encoding.ASCII.GetBytes("NOOP " + new string('x', 600) + "\r\nQUIT\r\n");
        var reader = new SmtpCommandReader();
        var results = new List<string>();

        Chunks.Feed(input, chunkSize, (ref ReadOnlySequence<byte> buffer) =>
        {
            while (true)
            {
                var status = reader.TryRead(ref buffer, out var command);
                if (status == SmtpReadStatus.NeedMoreData)
                {
                    return true;
                }

                results.Add(status == SmtpReadStatus.LineTooLong ? "too long" : command.Name);
            }
        });

        Assert.Equal(["too long", "QUIT"], results);
    }

    [Fact]
    public void A_line_of_exactly_512_octets_is_accepted()
    {
        var line = "NOOP " + new string('x', 512 - 7) + "\r\n";
        var buffer = new ReadOnlySequence<byte>(Encoding.ASCII.GetBytes(line));

        var status = new SmtpCommandReader().TryRead(ref buffer, out var command);

        Assert.Equal(SmtpReadStatus.Command, status);
        Assert.Equal(SmtpVerb.Noop, command.Verb);
    }

    [Fact]
    public void Invalid_utf8_does_not_throw()
    {
        var buffer = new ReadOnlySequence<byte>([(byte)'R', (byte)'C', (byte)'P', (byte)'T', (byte)' ', 0xFF, 0xFE, (byte)'\r', (byte)'\n']);

        var status = new SmtpCommandReader().TryRead(ref buffer, out var command);

        Assert.Equal(SmtpReadStatus.Command, status);
        Assert.Equal(SmtpArgumentError.Syntax, SmtpArgumentParser.TryParseRcptTo(command.Argument, out _));
    }
}
