using System.Text;
using Postino.Server.Tests.Pop2.Fakes;
using Postino.Server.Tests.Pop2.Support;

namespace Postino.Server.Tests.Pop2.Conformance;

/// <summary>Runs the conformance checker over real sockets against our server on the Maildir store.</summary>
public sealed class Pop2ConformanceTests : IDisposable
{
    private static readonly byte[][] Stored =
    [
        "From: carol@example.org\r\nSubject: one\r\n\r\nHello, this is message one.\r\n"u8.ToArray(),
        "From: dave@example.org\nSubject: two\n\nstored with LF\n.\n..leading dots\n"u8.ToArray(),
        "From: erin@example.org\nSubject: three\n\nno final newline, 8-bit: \u00e9"u8.ToArray(),
        "From: frank@example.org\nSubject: four\n\n"u8.ToArray(),
    ];

    private readonly MaildirFixture _maildir = new();
    private readonly FakePasswordAuthenticator _authenticator = new();

    public Pop2ConformanceTests()
    {
        _authenticator.AddUser("pop2test", "Secret 1");
    }

    public void Dispose() => _maildir.Dispose();

    [Fact]
    public async Task Our_server_on_maildir_passes_every_check()
    {
        foreach (var message in Stored)
        {
            await _maildir.DeliverAsync("pop2test", message);
        }

        await using var server = await Pop2TestServer.StartAsync(_maildir.Store, _authenticator);
        var checker = new Pop2ConformanceChecker("127.0.0.1", server.Port, "pop2test", "Secret 1", [.. Stored.Select(WireForm)]);

        var results = await checker.RunAsync();

        Assert.Equal(14, results.Count);
        Assert.All(results, result => Assert.True(result.Passed, result.ToString()));
        Assert.Equal(3, await _maildir.CountAsync("pop2test"));
    }

    [Fact]
    public async Task The_checker_fails_a_server_that_announces_a_wrong_length()
    {
        var store = new MemoryMailStore();
        foreach (var message in Stored)
        {
            store.AddMessage("pop2test", "INBOX", message);
        }

        store.Messages("pop2test", "INBOX")[1].Size += 1;
        await using var server = await Pop2TestServer.StartAsync(store, _authenticator);
        var checker = new Pop2ConformanceChecker("127.0.0.1", server.Port, "pop2test", "Secret 1", [.. Stored.Select(WireForm)]);

        var results = await checker.RunAsync();

        Assert.False(results.Single(r => r.Name == "retr-exact").Passed);
        Assert.True(results.Single(r => r.Name == "fold-nonexistent").Passed);
    }

    private static byte[] WireForm(byte[] stored)
    {
        var text = Encoding.Latin1.GetString(stored).Replace("\r\n", "\n", StringComparison.Ordinal).Replace("\n", "\r\n", StringComparison.Ordinal);
        return Encoding.Latin1.GetBytes(text.EndsWith("\r\n", StringComparison.Ordinal) ? text : text + "\r\n");
    }
}
