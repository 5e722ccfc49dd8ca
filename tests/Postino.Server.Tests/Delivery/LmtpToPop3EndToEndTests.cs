using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Postino.Server.Auth;
using Postino.Server.Hosting;
using Postino.Server.Lmtp;
using Postino.Server.Pop3;
using Postino.Server.Smtp;
using Postino.Storage;
using Postino.Storage.Maildir;
using Postino.Storage.Users;

namespace Postino.Server.Tests.Delivery;

/// <summary>
/// The whole path: a message delivered over LMTP into the real Maildir store comes back from POP3 RETR byte for
/// byte, in CRLF form, with the Return-Path the LMTP server put on top.
/// </summary>
public sealed class LmtpToPop3EndToEndTests
{
    [Fact]
    public async Task Lmtp_delivery_then_pop3_retr_returns_the_same_bytes()
    {
        using var data = new TempDirectory();
        var usersPath = Path.Combine(data.Path, "users");
        await File.WriteAllTextAsync(usersPath, "alice:{PLAIN}secret::::::\n");
        var users = await UsersFile.OpenAsync(usersPath);
        var store = new MaildirStore(new MaildirStoreOptions { DataDirectory = data.Path }, users);
        var builder = new PostinoServerBuilder(new PostinoServerOptions { HostName = "mx.test" });
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton<IUserDirectory>(users);
        builder.Services.AddSingleton<IMailStore>(store);
        builder.Services.AddPostinoAuthentication();
        builder.Services.AddPop3(new Pop3Options());
        builder.Services.AddPostinoLmtp(o => o.SpoolDirectory = Path.Combine(data.Path, "spool"));
        builder.AddListener<Pop3ConnectionHandler>("pop3", new IPEndPoint(IPAddress.Loopback, 0));
        builder.AddListener<LmtpConnectionHandler>("lmtp", new IPEndPoint(IPAddress.Loopback, 0));
        await using var server = builder.Build();
        await server.StartAsync();

        const string Crlf = "Subject: end to end\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n.a dot line\r\n\u00e0 \u00e8 8-bit\r\n\r\nlast\r\n";
        const string BareLf = "Subject: bare LF\n\nline\n.dot\n";
        await using (var lmtp = await RawLmtpClient.ConnectAsync(server.GetBoundPort("lmtp")))
        {
            await lmtp.SendAsync("sender@remote.test", "alice@example.org", Stuff(Crlf));
            await lmtp.SendAsync("sender@remote.test", "alice@example.org", Stuff(BareLf));
        }

        var (first, second) = await RetrieveTwoAsync(server.GetBoundPort("pop3"));

        Assert.Equal("Return-Path: <sender@remote.test>\r\n" + Crlf, first);
        Assert.Equal("Return-Path: <sender@remote.test>\r\nSubject: bare LF\r\n\r\nline\r\n.dot\r\n", second);
        await server.StopAsync();
    }

    private static byte[] Stuff(string message) =>
        Encoding.UTF8.GetBytes(string.Join('\n', message.Split('\n').Select(line => line.StartsWith('.') ? "." + line : line)));

    private static async Task<(string First, string Second)> RetrieveTwoAsync(int port)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, port);
        var pop3 = new RawPop3(tcp.GetStream());
        await pop3.CommandAsync(null);
        await pop3.CommandAsync("USER alice");
        await pop3.CommandAsync("PASS secret");
        var first = await pop3.RetrieveAsync(1);
        var second = await pop3.RetrieveAsync(2);
        await pop3.CommandAsync("QUIT");
        return (first, second);
    }

    /// <summary>Reads POP3 replies as raw bytes, so the exact wire form (CRLF, dot-stuffing) is what gets compared.</summary>
    private sealed class RawPop3(NetworkStream stream)
    {
        private readonly List<byte> _received = [];

        public async Task CommandAsync(string? command)
        {
            if (command is not null)
            {
                await stream.WriteAsync(Encoding.ASCII.GetBytes(command + "\r\n"));
            }

            Assert.StartsWith("+OK", await ReadUntilAsync("\r\n"u8.ToArray()), StringComparison.Ordinal);
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
}
