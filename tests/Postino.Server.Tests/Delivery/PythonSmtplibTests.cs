using System.Text;

namespace Postino.Server.Tests.Delivery;

/// <summary>Python's smtplib.LMTP and smtplib.SMTP against the real listeners (python3 must be installed).</summary>
public sealed class PythonSmtplibTests
{
    [Fact]
    public async Task Smtplib_lmtp_and_smtp_deliver_byte_for_byte()
    {
        await using var host = await MailTransferTestHost.StartAsync();
        var script = Path.Combine(AppContext.BaseDirectory, "Delivery", "Scripts", "smtplib_client.py");

        var (exitCode, output) = await ExternalProgram.RunAsync("python3", [script, host.LmtpPort.ToString(), host.UnixSocketPath, host.SmtpPort.ToString()]);

        Assert.True(exitCode == 0, output);
        Assert.Equal("ok", output.Trim());
        var store = (MemoryMailStore)host.Store;
        var deliveries = store.Deliveries.ToList();
        Assert.Equal(["alice", "bob", "carol@example.org", "alice"], deliveries.Select(d => d.User));

        // smtplib dot-stuffs and adds the final CRLF; we unstuff, so the stored body is the message plus CRLF.
        const string Sent = "Subject: py\r\n\r\nline one\r\n.leading dot\r\nno final line end\r\n";
        Assert.Equal("Return-Path: <py@remote.test>\r\n" + Sent, Encoding.UTF8.GetString(deliveries[0].Message));
        Assert.Equal(deliveries[0].Message, deliveries[1].Message);
        var smtp = Encoding.UTF8.GetString(deliveries[3].Message);
        Assert.StartsWith("Return-Path: <py@remote.test>\r\nReceived: from ", smtp, StringComparison.Ordinal);
        Assert.EndsWith(Sent, smtp, StringComparison.Ordinal);
    }
}
