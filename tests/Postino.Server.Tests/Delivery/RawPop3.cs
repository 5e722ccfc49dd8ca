using System.Net.Sockets;
using System.Text;

namespace Postino.Server.Tests.Delivery;

/// <summary>Reads POP3 replies as raw bytes, so the exact wire form (CRLF, dot-stuffing) is what gets compared.</summary>
internal sealed class RawPop3(NetworkStream stream)
{
    private readonly List<byte> _received = [];

    public async Task<string> CommandAsync(string? command)
    {
        if (command is not null)
        {
            await stream.WriteAsync(Encoding.ASCII.GetBytes(command + "\r\n"));
        }

        var reply = await ReadUntilAsync("\r\n"u8.ToArray());
        Assert.StartsWith("+OK", reply, StringComparison.Ordinal);
        return reply;
    }

    /// <summary>RETR, checked to be strict CRLF and unstuffed here, returning the message as POP3 sent it.</summary>
    public async Task<string> RetrieveAsync(int msn)
    {
        await CommandAsync($"RETR {msn}");
        var wire = await ReadUntilAsync("\r\n.\r\n"u8.ToArray());
        Assert.DoesNotMatch("[^\r]\n", wire);
        var lines = wire[..^".\r\n".Length].Split("\r\n");
        return string.Join("\r\n", lines.Select(line => line.StartsWith('.') ? line[1..] : line));
    }

    private async Task<string> ReadUntilAsync(byte[] terminator)
    {
        var buffer = new byte[4096];
        while (true)
        {
            var end = IndexOf(terminator);
            if (end >= 0)
            {
                var text = Encoding.UTF8.GetString([.. _received.Take(end + terminator.Length)]);
                _received.RemoveRange(0, end + terminator.Length);
                return text;
            }

            var read = await stream.ReadAsync(buffer);
            if (read == 0)
            {
                throw new IOException("connection closed");
            }

            _received.AddRange(buffer.AsSpan(0, read));
        }
    }

    private int IndexOf(byte[] terminator)
    {
        for (var i = 0; i + terminator.Length <= _received.Count; i++)
        {
            if (_received.Skip(i).Take(terminator.Length).SequenceEqual(terminator))
            {
                return i;
            }
        }

        return -1;
    }
}
