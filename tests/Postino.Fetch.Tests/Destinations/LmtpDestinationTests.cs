using System.Net;
using System.Net.Sockets;
using System.Text;
using Postino.Fetch.Destinations;

namespace Postino.Fetch.Tests.Destinations;

public class LmtpDestinationTests
{
    [Fact]
    public async Task Message_is_dot_stuffed_and_delivered_to_the_recipient()
    {
        var server = new FakeLmtpServer("250 2.0.0 <bob@example.org> delivered");
        var destination = new LmtpDestination("127.0.0.1", server.Port, "bob@example.org");

        await DeliverAsync(destination, "Subject: hi\r\n\r\n.hidden\r\nend\r\n");
        var transcript = await server.Finished;

        Assert.Contains("RCPT TO:<bob@example.org>", transcript);
        Assert.Contains("MAIL FROM:<>", transcript);
        var data = string.Join("\n", transcript.SkipWhile(l => l != "DATA").Skip(1).TakeWhile(l => l != "."));
        Assert.Equal("Subject: hi\n\n..hidden\nend", data);
    }

    [Fact]
    public async Task Temporary_refusal_after_data_is_a_temporary_destination_failure()
    {
        var server = new FakeLmtpServer("452 4.2.2 <bob@example.org> mailbox full");
        var destination = new LmtpDestination("127.0.0.1", server.Port, "bob@example.org");

        var error = await Assert.ThrowsAsync<MessageDestinationException>(() => DeliverAsync(destination, "Subject: hi\r\n\r\nx\r\n"));

        Assert.True(error.IsTemporary);
        Assert.Contains("mailbox full", error.Message, StringComparison.Ordinal);
        await server.Finished;
    }

    private static async Task DeliverAsync(IMessageDestination destination, string message)
    {
        await using var pending = await destination.BeginAsync(CancellationToken.None);
        await pending.Content.WriteAsync(Encoding.UTF8.GetBytes(message));
        await pending.PrepareAsync(CancellationToken.None);
        await pending.CommitAsync(CancellationToken.None);
    }

    /// <summary>Accepts one LMTP session and records what the client sent.</summary>
    private sealed class FakeLmtpServer
    {
        private readonly TcpListener _listener = new(IPAddress.Loopback, 0);

        public FakeLmtpServer(string replyAfterData)
        {
            _listener.Start();
            Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
            Finished = ServeAsync(replyAfterData);
        }

        public int Port { get; }

        public Task<List<string>> Finished { get; }

        private async Task<List<string>> ServeAsync(string replyAfterData)
        {
            var lines = new List<string>();
            try
            {
                using var client = await _listener.AcceptTcpClientAsync();
                var stream = client.GetStream();
                using var reader = new StreamReader(stream, Encoding.ASCII);
                async Task Send(string text) => await stream.WriteAsync(Encoding.ASCII.GetBytes(text + "\r\n"));
                await Send("220 fake LMTP");
                var inData = false;
                while (await reader.ReadLineAsync() is { } line)
                {
                    lines.Add(line);
                    if (inData)
                    {
                        if (line == ".")
                        {
                            inData = false;
                            await Send(replyAfterData);
                        }

                        continue;
                    }

                    switch (line.Split(' ')[0])
                    {
                        case "LHLO": await Send("250-fake\r\n250 PIPELINING"); break;
                        case "DATA": inData = true; await Send("354 go ahead"); break;
                        case "QUIT": await Send("221 bye"); return lines;
                        default: await Send("250 ok"); break;
                    }
                }

                return lines;
            }
            finally
            {
                _listener.Stop();
            }
        }
    }
}
