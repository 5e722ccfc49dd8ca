using System.Diagnostics;
using Postino.Storage.Maildir;
using Xunit.Abstractions;

namespace Postino.Storage.Tests.Maildir;

public sealed class MaildirLargeMailboxTests(ITestOutputHelper output) : IDisposable
{
    private const int MessageCount = 100_000;
    private readonly MaildirFixture _fixture = new();

    public void Dispose() => _fixture.Dispose();

    [Fact]
    public async Task A_login_on_100000_indexed_messages_opens_no_message_file()
    {
        // Names without ,S= or ,W= (as Postfix writes them), so only the index can give the sizes; the index says
        // 1000 + n octets while the files are empty, which shows the sizes come from the index and not from the files.
        Directory.CreateDirectory(_fixture.New);
        Directory.CreateDirectory(_fixture.Tmp);
        Directory.CreateDirectory(_fixture.Cur);
        var start = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var entries = new List<MaildirIndexEntry>(MessageCount);
        var generate = Stopwatch.StartNew();
        for (var n = 0; n < MessageCount; n++)
        {
            var baseName = $"{start.ToUnixTimeSeconds() + n}.V801I{n:x}M0.mx.example";
            File.OpenHandle(Path.Combine(_fixture.Cur, baseName + ":2,"), FileMode.CreateNew, FileAccess.Write).Dispose();
            entries.Add(new MaildirIndexEntry(baseName, $"u{n}", 1000 + n, start.AddSeconds(n), null));
        }

        await MaildirIndexFile.SaveAsync(_fixture.Maildir, entries, CancellationToken.None);
        output.WriteLine($"generated {MessageCount} messages in {generate.ElapsedMilliseconds} ms");

        var first = Stopwatch.StartNew();
        await using (var maildrop = await _fixture.Store.OpenAsync(MaildirFixture.User, null, CancellationToken.None))
        {
            first.Stop();
            Assert.Equal(MessageCount, maildrop.Messages.Count);
            Assert.Equal("u0", maildrop.Messages[0].Uidl);
            Assert.Equal(1000 + MessageCount - 1, maildrop.Messages[^1].Size);
            Assert.Equal(Enumerable.Range(0, MessageCount).Sum(n => 1000L + n), maildrop.Messages.Sum(m => m.Size));
        }

        var second = Stopwatch.StartNew();
        await using (var maildrop = await _fixture.Store.OpenAsync(MaildirFixture.User, null, CancellationToken.None))
        {
            second.Stop();
            Assert.Equal(MessageCount, maildrop.Messages.Count);
        }

        output.WriteLine($"login on {MessageCount} messages: first {first.ElapsedMilliseconds} ms, second {second.ElapsedMilliseconds} ms");
        Assert.Equal(0, _fixture.Store.MessageFileOpens);
    }
}
