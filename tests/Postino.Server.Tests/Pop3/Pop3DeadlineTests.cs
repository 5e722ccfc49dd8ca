using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Postino.Server.Auth;
using Postino.Server.Pop3;
using Postino.Server.Pop3.Sasl;
using Postino.Server.Pop3.Tls;
using Postino.Server.Sasl;
using Postino.Server.Sessions;
using Postino.Server.Tests.Fakes;
using Postino.Server.Tls;

namespace Postino.Server.Tests.Pop3;

/// <summary>
/// Issue 10 section 2 on POP3: a command line or SASL response trickling in is cut at Limits:CommandTimeout, a
/// connection not logged in by Limits:LoginTimeout is closed, and SIGTERM reaches a logged-in session waiting for a
/// command, which closes with -ERR [SYS/TEMP] and commits nothing. The fake clock moves only once the session armed
/// its timer.
/// </summary>
public sealed class Pop3DeadlineTests
{
    private const string Password = "s3cret pass phrase";

    [Fact]
    public async Task A_command_trickling_one_octet_every_3_seconds_is_cut_at_the_command_timeout()
    {
        var time = new TimerWatchingTimeProvider(DateTimeOffset.UnixEpoch);
        await using var host = NewHost(time);
        var connection = host.Connect();
        Assert.StartsWith("+OK", await connection.ReadLineAsync(), StringComparison.Ordinal);

        await TrickleAsync(time, connection, "USER alice");

        Assert.Equal("-ERR Command line not completed in time, closing\r\n", await connection.ReadLineAsync());
        await connection.Completion;
        Assert.Equal(Pop3SessionEnd.CommandTimeout, connection.Session.End);
        Assert.Equal(DateTimeOffset.UnixEpoch.AddSeconds(10), time.GetUtcNow());
    }

    [Fact]
    public async Task A_sasl_response_trickling_in_is_cut_at_the_command_timeout()
    {
        var time = new TimerWatchingTimeProvider(DateTimeOffset.UnixEpoch);
        await using var host = NewHost(time);
        var connection = host.Connect();
        Assert.StartsWith("+OK", await connection.ReadLineAsync(), StringComparison.Ordinal);
        await connection.SendAsync("AUTH PLAIN\r\n");
        Assert.Equal("+ \r\n", await connection.ReadLineAsync());

        await TrickleAsync(time, connection, "AGFsaWNlAHMz");

        Assert.Equal("-ERR Command line not completed in time, closing\r\n", await connection.ReadLineAsync());
        await connection.Completion;
        Assert.Equal(Pop3SessionEnd.CommandTimeout, connection.Session.End);
    }

    [Fact]
    public async Task A_connection_not_logged_in_by_the_login_timeout_is_closed_however_busy()
    {
        var time = new TimerWatchingTimeProvider(DateTimeOffset.UnixEpoch);
        await using var host = NewHost(time);
        var armed = time.TimerStarted(TimeSpan.FromSeconds(30));
        var connection = host.Connect();
        Assert.StartsWith("+OK", await connection.ReadLineAsync(), StringComparison.Ordinal);
        await armed;
        time.Advance(TimeSpan.FromSeconds(20));

        armed = time.TimerStarted(TimeSpan.FromSeconds(10));
        await connection.SendAsync("USER alice\r\n");
        Assert.Equal("+OK Send your password\r\n", await connection.ReadLineAsync());
        await armed;
        time.Advance(TimeSpan.FromSeconds(10));

        Assert.Equal("-ERR Not logged in in time, closing\r\n", await connection.ReadLineAsync());
        await connection.Completion;
        Assert.Equal(Pop3SessionEnd.LoginTimeout, connection.Session.End);
    }

    [Fact]
    public async Task A_logged_in_session_is_not_bound_by_the_login_timeout()
    {
        var time = new TimerWatchingTimeProvider(DateTimeOffset.UnixEpoch);
        await using var host = NewHost(time);
        var connection = await Pop3SessionTests.LoggedInAsync(host);

        time.Advance(TimeSpan.FromMinutes(1));
        await connection.SendAsync("NOOP\r\n");

        Assert.Equal("+OK\r\n", await connection.ReadLineAsync());
    }

    [Fact]
    public async Task Sigterm_closes_a_logged_in_session_with_sys_temp_and_commits_nothing()
    {
        var time = new TimerWatchingTimeProvider(DateTimeOffset.UnixEpoch);
        using var lifetime = new FakeLifetime();
        await using var host = NewHost(time, lifetime);
        var connection = await Pop3SessionTests.LoggedInAsync(host);
        await connection.SendAsync("DELE 1\r\n");
        Assert.Equal("+OK Message 1 deleted\r\n", await connection.ReadLineAsync());

        lifetime.StopApplication();

        Assert.Equal("-ERR [SYS/TEMP] Server shutting down\r\n", await connection.ReadLineAsync());
        await connection.Completion;
        Assert.Equal(Pop3SessionEnd.Shutdown, connection.Session.End);
        Assert.Equal(0, host.Store.Mailbox("alice").CommitCount);
        Assert.False(host.Store.Mailbox("alice").IsLocked);
    }

    /// <summary>Sends <paramref name="text"/> one octet every 3 s (never its line end).</summary>
    private static async Task TrickleAsync(TimerWatchingTimeProvider time, Pop3TestConnection connection, string text)
    {
        // The command deadline started with the first octet: what is left of it is 10, 7, 4, 1 s.
        for (var i = 0; i < 4; i++)
        {
            var left = TimeSpan.FromSeconds(10 - (3 * i));
            var armed = time.TimerStarted(left);
            await connection.SendAsync(text[i].ToString());
            await armed;
            time.Advance(left < TimeSpan.FromSeconds(3) ? left : TimeSpan.FromSeconds(3));
        }
    }

    private static Pop3TestHost NewHost(TimerWatchingTimeProvider time, IHostApplicationLifetime? lifetime = null)
    {
        Pop3TestHost? created = null;
        var host = created = new Pop3TestHost
        {
            Time = time,
            Configure = services =>
            {
                services.AddPop3Tls(settings: null, PlaintextAuthPolicy.AlwaysAllowed);
                services.AddSingleton(sp =>
                {
                    var lookup = new SecretLookup(created!.Directory);
                    return new SaslAuthenticator(
                        Pop3TestHost.HostName, created.Authenticator, lookup, lookup, new Sasl.RecordingLoginPolicy(), created.Directory);
                });
                services.AddPop3Sasl();
                services.AddSingleton(new SessionLimits { CommandTimeout = TimeSpan.FromSeconds(10), LoginTimeout = TimeSpan.FromSeconds(30) });
                if (lifetime is not null)
                {
                    services.AddSingleton(lifetime);
                }
            },
        };
        host.AddUser("alice", Password);
        host.Store.Mailbox("alice").Add("u1", "A: b\n\nbody line\n");
        return host;
    }
}
