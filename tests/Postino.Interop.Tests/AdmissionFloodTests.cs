using System.Net.Sockets;

namespace Postino.Interop.Tests;

/// <summary>The one admission path of <c>postino serve</c> under floods, as clients over real sockets see it.</summary>
public class AdmissionFloodTests
{
    [Fact]
    public async Task Silent_connections_to_pop3s_beyond_the_cap_are_refused_at_once_and_counted_in_the_log()
    {
        await using var server = await PostinoProcess.StartAsync(new Dictionary<string, string>
        {
            ["POSTINO__Limits__ConnectionsPerAddress"] = "5",
        });
        var sockets = new List<TcpClient>();
        try
        {
            for (var i = 0; i < 200; i++)
            {
                var client = new TcpClient();
                await client.ConnectAsync("127.0.0.1", server.Port("pop3s"));
                sockets.Add(client);
            }

            // Each refused one is closed by the server without a byte (no TLS work); five are held. Which five is not
            // the order of the connects: Kestrel hands each accepted connection to the thread pool.
            using (var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30)))
            {
                while (sockets.Count(client => client.Client.IsClosedByPeer()) != 195)
                {
                    await Task.Delay(10, deadline.Token);
                }
            }

            Assert.All(sockets, client => Assert.Equal(0, client.Available));

            // POP3 has caps of its own: the flood on POP3S did not take them.
            using var pop3 = await LineClient.ConnectAsync(server.Port("pop3"));
            Assert.StartsWith("+OK", await pop3.ReadLineAsync(), StringComparison.Ordinal);
        }
        finally
        {
            sockets.ForEach(s => s.Dispose());
        }

        await server.StopAsync();
        Assert.Contains(server.Output, l => l.Contains("pop3s: refused", StringComparison.Ordinal) && l.Contains("over the per-address cap", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_flood_under_a_small_open_file_limit_is_refused_and_the_server_stays_up()
    {
        // 300 descriptors (prlimit, util-linux): the runtime and the listeners use about 190, and without the descriptor
        // budget the 110th silent connection left the .NET runtime without a descriptor to start a thread: "Out of
        // memory." and the whole server gone.
        var dataDir = Directory.CreateTempSubdirectory("postino-interop-").FullName;
        string[] args =
        [
            "--nofile=300:300", "dotnet", PostinoBinary.Path, "serve", "--data-dir", dataDir,
            "--pop3", "127.0.0.1:0", "--pop3s", "127.0.0.1:0", "--pop2", "none", "--lmtp", "none", "--smtp", "none", "--metrics", "none",
        ];
        await using var server = await PostinoProcess.StartProgramAsync("prlimit", args, dataDir, new Dictionary<string, string>
        {
            ["POSTINO__Limits__ConnectionsPerAddress"] = "100000",
            ["POSTINO__Limits__TotalConnections"] = "100000",
        });
        var flood = new List<TcpClient>();
        var answered = 0;
        var refused = 0;
        try
        {
            for (var i = 0; i < 300; i++)
            {
                var client = new TcpClient();
                await client.ConnectAsync("127.0.0.1", server.Port("pop3"));
                flood.Add(client);
                using var reader = new StreamReader(client.GetStream(), System.Text.Encoding.ASCII, false, 256, leaveOpen: true);
                var line = await reader.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30));
                answered += line?.StartsWith("+OK", StringComparison.Ordinal) == true ? 1 : 0;
                refused += line == "-ERR [SYS/TEMP] Too many connections, try again later" ? 1 : 0;
            }

            Assert.Equal(300, answered + refused);
            Assert.InRange(answered, 1, 44);
        }
        finally
        {
            flood.ForEach(c => c.Dispose());
        }

        Assert.False(server.HasExited, "postino died under the flood:\n" + string.Join('\n', server.Output.TakeLast(5)));
        using var pop3 = await ConnectWhenAdmittedAsync(server.Port("pop3"));
        Assert.StartsWith("+OK", await pop3.CommandAsync("USER demo"), StringComparison.Ordinal);
        Assert.StartsWith("+OK", await pop3.CommandAsync("PASS " + server.DemoPassword), StringComparison.Ordinal);
        Assert.StartsWith("+OK", await pop3.CommandAsync("QUIT"), StringComparison.Ordinal);
        Assert.Equal(0, await server.StopAsync());
        Assert.Contains(server.Output, l => l.Contains("room for 44 connections", StringComparison.Ordinal));
    }

    /// <summary>
    /// The flood's connections are released as the server sees them close, a moment after the client closed them: a
    /// refusal until then is the budget working, so connect again (with a deadline) until admitted.
    /// </summary>
    private static async Task<LineClient> ConnectWhenAdmittedAsync(int port)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (true)
        {
            var client = await LineClient.ConnectAsync(port);
            if ((await client.ReadLineAsync()).StartsWith("+OK", StringComparison.Ordinal))
            {
                return client;
            }

            client.Dispose();
            await Task.Delay(20, deadline.Token);
        }
    }

    [Fact]
    public async Task An_smtp_flood_does_not_lock_pop3_users_out()
    {
        await using var server = await PostinoProcess.StartAsync(new Dictionary<string, string>
        {
            ["POSTINO__Smtp__TotalConnections"] = "3",
        });
        var smtp = new List<LineClient>();
        try
        {
            for (var i = 0; i < 3; i++)
            {
                smtp.Add(await LineClient.ConnectAsync(server.Port("smtp")));
                Assert.StartsWith("220", await smtp[^1].ReadLineAsync(), StringComparison.Ordinal);
            }

            using var refused = await LineClient.ConnectAsync(server.Port("smtp"));
            Assert.StartsWith("421", await refused.ReadLineAsync(), StringComparison.Ordinal);

            for (var i = 0; i < 5; i++)
            {
                using var pop3 = await LineClient.ConnectAsync(server.Port("pop3"));
                Assert.StartsWith("+OK", await pop3.ReadLineAsync(), StringComparison.Ordinal);
            }

            // LMTP counts once, against its own cap only (it used to count against two).
            using var lmtp = await LineClient.ConnectAsync(server.Port("lmtp"));
            Assert.StartsWith("220", await lmtp.ReadLineAsync(), StringComparison.Ordinal);
        }
        finally
        {
            smtp.ForEach(c => c.Dispose());
        }
    }
}
