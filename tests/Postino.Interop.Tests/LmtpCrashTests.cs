using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using Postino.Storage;
using Postino.Storage.Maildir;
using Postino.Storage.Users;

namespace Postino.Interop.Tests;

/// <summary>
/// SIGKILL the real <c>postino serve</c> while several senders stream messages in over LMTP; after a restart on the
/// same data folder every acknowledged message is there and whole, the restarted server serves them all over POP3,
/// and no file in new/ or cur/ is a partial message.
/// </summary>
public sealed class LmtpCrashTests
{
    private const int Senders = 4;
    private const int AcknowledgedBeforeKill = 24;
    private const string AlicePassword = "crash-test secret";

    [Fact]
    public async Task Killed_server_loses_no_acknowledged_message_and_leaves_no_partial_one()
    {
        using var data = new TempDirectory();
        await PostinoProcess.AddUserAsync(data.Path, "alice", AlicePassword);
        var acknowledged = new ConcurrentDictionary<string, byte[]>();
        var sent = new ConcurrentDictionary<string, byte[]>();
        var enough = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        await using (var server = await PostinoProcess.StartOnAsync(data.Path))
        {
            var senders = Enumerable.Range(0, Senders)
                .Select(sender => Task.Run(() => SendUntilTheServerDiesAsync(server.LmtpPort, sender, sent, acknowledged, enough)))
                .ToArray();
            await enough.Task.WaitAsync(TimeSpan.FromMinutes(3));
            await server.KillAsync();
            await Task.WhenAll(senders).WaitAsync(TimeSpan.FromMinutes(1));
        }

        int countOverPop3;
        await using (var restarted = await PostinoProcess.StartOnAsync(data.Path))
        {
            await using (var client = await LineClient.ConnectLmtpAsync(restarted.LmtpPort))
            {
                var after = Message("after-restart", 1);
                await client.SendMessageAsync("crash@test", "alice@crash.test", after.Wire);
                acknowledged["after-restart"] = after.Stored;
                sent["after-restart"] = after.Stored;
            }

            countOverPop3 = await CountOverPop3Async(restarted.Pop3Port);
        }

        var stored = await ReadMailboxAsync(data.Path);
        foreach (var (messageId, expected) in acknowledged)
        {
            Assert.True(stored.TryGetValue(messageId, out var actual), $"acknowledged message {messageId} was lost");
            Assert.Equal(expected, actual);
        }

        foreach (var (messageId, actual) in stored)
        {
            Assert.True(sent.TryGetValue(messageId, out var expected), $"stored message {messageId} was never sent");
            Assert.Equal(expected, actual);
        }

        Assert.True(acknowledged.Count >= AcknowledgedBeforeKill + 1);
        Assert.Equal(stored.Count, countOverPop3);
        AssertNoPartialFiles(data.Path, sent.Values.ToList());
    }

    private static async Task SendUntilTheServerDiesAsync(
        int port,
        int sender,
        ConcurrentDictionary<string, byte[]> sent,
        ConcurrentDictionary<string, byte[]> acknowledged,
        TaskCompletionSource enough)
    {
        try
        {
            await using var client = await LineClient.ConnectLmtpAsync(port);
            for (var n = 0; ; n++)
            {
                var messageId = $"s{sender}-{n}";
                var message = Message(messageId, 1 + (n % 5));
                sent[messageId] = message.Stored;
                await client.SendMessageAsync("crash@test", "alice@crash.test", message.Wire);
                acknowledged[messageId] = message.Stored;
                if (acknowledged.Count >= AcknowledgedBeforeKill)
                {
                    enough.TrySetResult();
                }
            }
        }
        catch (Exception ex) when (ex is IOException or System.Net.Sockets.SocketException)
        {
            // The server was killed.
        }
    }

    /// <summary>A message of a few hundred KB (so the kill often lands mid-transfer), as sent and as it must be stored.</summary>
    private static (byte[] Wire, byte[] Stored) Message(string messageId, int hundredsOfKilobytes)
    {
        var text = new StringBuilder($"Message-Id: <{messageId}@crash.test>\r\nSubject: crash test\r\n\r\n");
        var line = 0;
        while (text.Length < hundredsOfKilobytes * 100_000)
        {
            text.Append(messageId).Append(" line ").Append(line++).Append(' ').Append('x', 60).Append("\r\n");
        }

        var wire = Encoding.ASCII.GetBytes(text.ToString());
        return (wire, Encoding.ASCII.GetBytes("Return-Path: <crash@test>\r\n" + text));
    }

    /// <summary>The restarted server itself serves the mailbox: log in as alice and read the message count from STAT.</summary>
    private static async Task<int> CountOverPop3Async(int port)
    {
        await using var pop3 = await LineClient.ConnectPop3Async(port);
        Assert.StartsWith("+OK", await pop3.LoginAsync("alice", AlicePassword), StringComparison.Ordinal);
        var stat = await pop3.CommandAsync("STAT");
        Assert.StartsWith("+OK", stat, StringComparison.Ordinal);
        Assert.StartsWith("+OK", await pop3.CommandAsync("QUIT"), StringComparison.Ordinal);
        return int.Parse(stat.Split(' ')[1], CultureInfo.InvariantCulture);
    }

    private static async Task<Dictionary<string, byte[]>> ReadMailboxAsync(string dataDir)
    {
        var users = await UsersFile.OpenAsync(Path.Combine(dataDir, "users"));
        var store = new MaildirStore(new MaildirStoreOptions { DataDirectory = dataDir }, users);
        await using var maildrop = await store.OpenAsync("alice", null, CancellationToken.None);
        var messages = new Dictionary<string, byte[]>();
        for (var index = 0; index < maildrop.Messages.Count; index++)
        {
            await using var stream = await maildrop.OpenMessageAsync(index, CancellationToken.None);
            using var copy = new MemoryStream();
            await stream.CopyToAsync(copy);
            var bytes = copy.ToArray();
            messages.Add(MessageId(bytes), bytes);
        }

        return messages;
    }

    private static string MessageId(byte[] message)
    {
        var text = Encoding.ASCII.GetString(message, 0, Math.Min(message.Length, 200));
        var start = text.IndexOf("Message-Id: <", StringComparison.Ordinal) + "Message-Id: <".Length;
        return text[start..text.IndexOf("@crash.test>", start, StringComparison.Ordinal)];
    }

    /// <summary>Every file in new/ and cur/ is one whole message that was sent (tmp/ may hold leftovers).</summary>
    private static void AssertNoPartialFiles(string dataDir, IReadOnlyList<byte[]> sent)
    {
        var maildir = Path.Combine(dataDir, "mail", "alice", "Maildir");
        foreach (var folder in new[] { "new", "cur" })
        {
            var path = Path.Combine(maildir, folder);
            if (!Directory.Exists(path))
            {
                continue;
            }

            foreach (var file in Directory.GetFiles(path))
            {
                var bytes = File.ReadAllBytes(file);
                Assert.True(sent.Any(message => message.AsSpan().SequenceEqual(bytes)), $"{folder}/{Path.GetFileName(file)} is not a whole message");
            }
        }
    }
}
