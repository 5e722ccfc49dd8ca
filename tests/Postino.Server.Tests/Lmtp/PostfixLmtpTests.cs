using System.Runtime.Versioning;
using Postino.Server.Tests.Delivery;

namespace Postino.Server.Tests.Lmtp;

/// <summary>
/// A real Postfix (a private instance: own config, queue and data directories, no network listener) hands mail to
/// Postino over LMTP, into the Maildir store; then POP3 reads it back. Needs root and scripts/install-postfix.sh;
/// fails, never skips, when Postfix is missing.
/// </summary>
[SupportedOSPlatform("linux")]
public sealed class PostfixLmtpTests
{
    [Fact]
    public async Task Postfix_delivers_over_lmtp_tcp_and_pop3_reads_it()
    {
        await using var host = await MaildirServerHost.StartAsync();
        await RunPostfixAsync($"inet:127.0.0.1:{host.LmtpPort}", host);
    }

    [Fact]
    public async Task Postfix_delivers_over_lmtp_unix_socket_and_pop3_reads_it()
    {
        await using var host = await MaildirServerHost.StartAsync();

        // Postfix's lmtp client runs as the postfix user: it must be able to reach the socket.
        File.SetUnixFileMode(Path.GetDirectoryName(host.UnixSocketPath)!, (UnixFileMode)0b111_101_101);
        File.SetUnixFileMode(host.UnixSocketPath, (UnixFileMode)0b110_110_110);
        await RunPostfixAsync($"unix:{host.UnixSocketPath}", host);
    }

    private static async Task RunPostfixAsync(string target, MaildirServerHost host)
    {
        using var instance = new TempDirectory(isPrivate: false);
        var script = RepositoryRoot.Script("postfix-private.sh");
        var (started, startOutput) = await ExternalProgram.RunAsync(script, ["start", instance.Path, target, "example.org"]);
        Assert.True(started == 0, "postfix did not start: " + startOutput);
        try
        {
            var (sent, sendOutput) = await ExternalProgram.RunAsync(
                script,
                ["send", instance.Path, "sender@remote.test", "alice@example.org", "bob@example.org"],
                "Subject: via postfix\n\n.starts with a dot\nbody\n");
            Assert.True(sent == 0, "sendmail failed: " + sendOutput);

            var log = Path.Combine(instance.Path, "postfix.log");
            Assert.True(
                await WaitForLogAsync(log, "status=sent", 2, TimeSpan.FromSeconds(60)),
                "Postfix did not deliver: " + (File.Exists(log) ? await File.ReadAllTextAsync(log) : "no log"));
        }
        finally
        {
            await ExternalProgram.RunAsync(script, ["stop", instance.Path]);
        }

        foreach (var user in new[] { "alice", "bob" })
        {
            var message = Assert.Single(await host.RetrieveAllAsync(user));
            Assert.StartsWith("Return-Path: <sender@remote.test>\r\nReceived: by postfix.test (Postfix", message, StringComparison.Ordinal);
            Assert.Contains("\r\nSubject: via postfix\r\n", message, StringComparison.Ordinal);
            Assert.EndsWith("\r\n\r\n.starts with a dot\r\nbody\r\n", message, StringComparison.Ordinal);
        }
    }

    /// <summary>
    /// Postfix writes "status=sent" to its own log once the LMTP server answered 250 (so the message is durable);
    /// the log is watched for file changes, not polled on a timer.
    /// </summary>
    private static async Task<bool> WaitForLogAsync(string log, string marker, int count, TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        using var watcher = new FileSystemWatcher(Path.GetDirectoryName(log)!, Path.GetFileName(log));
        var changed = new SemaphoreSlim(0);
        watcher.Changed += (_, _) => changed.Release();
        watcher.Created += (_, _) => changed.Release();
        watcher.EnableRaisingEvents = true;
        try
        {
            while (true)
            {
                if (File.Exists(log))
                {
                    var text = await File.ReadAllTextAsync(log, deadline.Token);
                    if (text.Split(marker).Length - 1 >= count)
                    {
                        return true;
                    }
                }

                await changed.WaitAsync(deadline.Token);
            }
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
