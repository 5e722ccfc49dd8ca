using System.Runtime.Versioning;
using System.Text;
using Postino.Server.Tests.Delivery;

namespace Postino.Server.Tests.Lmtp;

/// <summary>
/// A real Postfix (a private instance: own config, queue and data directories, no network listener) hands mail to
/// Postino over LMTP. Needs root and scripts/install-postfix.sh; fails, never skips, when Postfix is missing.
/// </summary>
[SupportedOSPlatform("linux")]
public sealed class PostfixLmtpTests
{
    [Fact]
    public async Task Postfix_delivers_over_lmtp_tcp()
    {
        await using var host = await MailTransferTestHost.StartAsync();
        await RunPostfixAsync($"inet:127.0.0.1:{host.LmtpPort}", (MemoryMailStore)host.Store);
    }

    [Fact]
    public async Task Postfix_delivers_over_lmtp_unix_socket()
    {
        await using var host = await MailTransferTestHost.StartAsync();

        // Postfix's lmtp client runs as the postfix user: it must be able to reach the socket.
        File.SetUnixFileMode(Path.GetDirectoryName(host.UnixSocketPath)!, (UnixFileMode)0b111_101_101);
        File.SetUnixFileMode(host.UnixSocketPath, (UnixFileMode)0b110_110_110);
        await RunPostfixAsync($"unix:{host.UnixSocketPath}", (MemoryMailStore)host.Store);
    }

    private static async Task RunPostfixAsync(string target, MemoryMailStore store)
    {
        using var instance = new TempDirectory();
        var script = ExternalProcess.Script("postfix-private.sh");
        var (started, startOutput) = await ExternalProcess.RunAsync(script, null, "start", instance.Path, target, "example.org");
        Assert.True(started == 0, "postfix did not start: " + startOutput);
        try
        {
            var (sent, sendOutput) = await ExternalProcess.RunAsync(
                script,
                "Subject: via postfix\n\n.starts with a dot\nbody\n",
                "send",
                instance.Path,
                "sender@remote.test",
                "alice@example.org",
                "bob@example.org");
            Assert.True(sent == 0, "sendmail failed: " + sendOutput);

            var log = Path.Combine(instance.Path, "postfix.log");
            Assert.True(
                await store.WaitForDeliveriesAsync(2, TimeSpan.FromSeconds(60)),
                "Postfix did not deliver: " + (File.Exists(log) ? await File.ReadAllTextAsync(log) : "no log"));
        }
        finally
        {
            await ExternalProcess.RunAsync(script, null, "stop", instance.Path);
        }

        Assert.Equal(["alice", "bob"], store.Deliveries.Select(d => d.User).Order());
        foreach (var (_, bytes) in store.Deliveries)
        {
            var message = Encoding.UTF8.GetString(bytes);
            Assert.StartsWith("Return-Path: <sender@remote.test>\r\nReceived: by postfix.test (Postfix", message, StringComparison.Ordinal);
            Assert.Contains("\r\nSubject: via postfix\r\n", message, StringComparison.Ordinal);
            Assert.EndsWith("\r\n\r\n.starts with a dot\r\nbody\r\n", message, StringComparison.Ordinal);
        }
    }
}
