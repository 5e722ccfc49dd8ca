using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Postino.Server.Auth;
using Postino.Server.Hosting;
using Postino.Server.Pop3;
using Postino.Server.Tests.Fakes;
using Postino.Storage;

namespace Postino.Server.Tests.Hosting;

/// <summary>The real host over real sockets on 127.0.0.1 (port 0, read back) with the fake store.</summary>
public class PostinoServerTests
{
    private readonly MemoryMailStore _store = new();
    private readonly FakeAuthenticator _authenticator = new();

    public PostinoServerTests()
    {
        _authenticator.Passwords["alice"] = "pw with spaces";
        _store.Mailbox("alice").Add("u1", "Subject: one\n\n.dot\n");
        _store.Mailbox("alice").Add("u2", "Subject: two\n\nbody\n");
    }

    [Fact]
    public async Task Pop3_over_tcp()
    {
        await using var server = await StartAsync(TimeSpan.FromSeconds(10));
        using var client = await LineClient.ConnectAsync(server.GetBoundEndPoint("pop3"));

        Assert.Equal("+OK test.example POP3 server ready", await client.TryReadLineAsync());
        await client.WriteAsync("USER alice\r\nPASS pw with spaces\r\nSTAT\r\nRETR 1\r\nDELE 2\r\nQUIT\r\n");

        Assert.Equal(
            ["+OK Send your password", "+OK Logged in, maildrop has 2 messages (44 octets)", "+OK 2 44",
                "+OK 22 octets", "Subject: one", "", "..dot", ".", "+OK Message 2 deleted",
                "+OK test.example POP3 server signing off, 1 messages deleted"],
            await client.ReadLinesAsync(10));
        Assert.Null(await client.TryReadLineAsync());
        Assert.Equal(["u2"], _store.Mailbox("alice").DeletedUidls);
        Assert.True(server.GetBoundPort("pop3") > 0);
    }

    [Fact]
    public async Task Pop3_over_a_unix_socket()
    {
        var path = Path.Combine(Path.GetTempPath(), $"postino-test-{Guid.NewGuid():N}.sock");
        try
        {
            await using var server = await StartAsync(TimeSpan.FromSeconds(10), "unix:" + path);
            using var client = await LineClient.ConnectAsync(new UnixDomainSocketEndPoint(path));

            Assert.Equal("+OK test.example POP3 server ready", await client.TryReadLineAsync());
            await client.WriteAsync("QUIT\r\n");
            Assert.Equal("+OK test.example POP3 server signing off", await client.TryReadLineAsync());
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task Stop_tells_a_waiting_logged_in_session_the_server_is_shutting_down_and_commits_nothing()
    {
        var server = await StartAsync(TimeSpan.FromSeconds(60));
        var endPoint = server.GetBoundEndPoint("pop3");
        using var client = await LineClient.ConnectAsync(endPoint);
        await client.TryReadLineAsync();
        await client.WriteAsync("USER alice\r\nPASS pw with spaces\r\nDELE 1\r\n");
        await client.ReadLinesAsync(3);

        var stopping = server.StopAsync();

        // Issue 10: SIGTERM reaches every session; a logged-in one waiting for a command hears why and commits nothing.
        Assert.Equal("-ERR [SYS/TEMP] Server shutting down", await client.TryReadLineAsync());
        Assert.Null(await client.TryReadLineAsync());
        await stopping.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Empty(_store.Mailbox("alice").DeletedUidls);
        Assert.Equal(0, _store.Mailbox("alice").CommitCount);
        await Assert.ThrowsAnyAsync<SocketException>(() => LineClient.ConnectAsync(endPoint));
        await server.DisposeAsync();
    }

    [Fact]
    public async Task Sessions_still_running_when_the_grace_period_ends_are_closed_without_committing()
    {
        await using var server = await StartAsync(TimeSpan.FromMilliseconds(300));
        using var client = await LineClient.ConnectAsync(server.GetBoundEndPoint("pop3"));
        await client.TryReadLineAsync();
        await client.WriteAsync("USER alice\r\nPASS pw with spaces\r\nDELE 1\r\n");
        await client.ReadLinesAsync(3);

        await server.StopAsync().WaitAsync(TimeSpan.FromSeconds(30));

        await AssertClosedAfterShutdownNoticeAsync(client);
        Assert.Equal(0, _store.Mailbox("alice").CommitCount);
        Assert.False(_store.Mailbox("alice").IsLocked);
    }

    [Fact]
    public async Task Cancelling_the_stop_closes_sessions_at_once_without_committing()
    {
        await using var server = await StartAsync(TimeSpan.FromMinutes(5));
        using var client = await LineClient.ConnectAsync(server.GetBoundEndPoint("pop3"));
        await client.TryReadLineAsync();
        await client.WriteAsync("USER alice\r\nPASS pw with spaces\r\nDELE 1\r\n");
        await client.ReadLinesAsync(3);

        await server.StopAsync(new CancellationToken(canceled: true)).WaitAsync(TimeSpan.FromSeconds(30));

        await AssertClosedAfterShutdownNoticeAsync(client);
        Assert.Equal(0, _store.Mailbox("alice").CommitCount);
    }

    /// <summary>The session may have had time to say why before it was closed; nothing else may come.</summary>
    private static async Task AssertClosedAfterShutdownNoticeAsync(LineClient client)
    {
        if (await client.TryReadLineAsync() is { } line)
        {
            Assert.Equal("-ERR [SYS/TEMP] Server shutting down", line);
            Assert.Null(await client.TryReadLineAsync());
        }
    }

    private async Task<PostinoServer> StartAsync(TimeSpan grace, string listen = "127.0.0.1:0")
    {
        var builder = new PostinoServerBuilder(new PostinoServerOptions { HostName = "test.example", ShutdownGracePeriod = grace });
        builder.Services.AddSingleton<IMailStore>(_store);
        builder.Services.AddSingleton<IPasswordAuthenticator>(_authenticator);
        builder.AddPop3(new Pop3Options { Listen = listen });
        var server = builder.Build();
        await server.StartAsync();
        return server;
    }
}
