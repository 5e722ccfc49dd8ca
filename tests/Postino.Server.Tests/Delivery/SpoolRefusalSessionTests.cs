using System.Runtime.Versioning;
using Postino.Server.Smtp;

namespace Postino.Server.Tests.Delivery;

/// <summary>LMTP and SMTP with a spool folder someone opened to others: DATA is refused as temporary, nothing is spooled.</summary>
[SupportedOSPlatform("linux")]
public sealed class SpoolRefusalSessionTests
{
    [Theory]
    [InlineData(MailTransferDialect.Lmtp, "LHLO mta")]
    [InlineData(MailTransferDialect.Smtp, "EHLO client.example")]
    public async Task Data_gets_451_and_the_session_stays_usable(MailTransferDialect dialect, string hello)
    {
        await using var harness = new SessionHarness(dialect);
        File.SetUnixFileMode(harness.SpoolDirectory, (UnixFileMode)0b111_111_111);
        harness.Start();

        await harness.SendAsync($"{hello}\r\nMAIL FROM:<s@r.test>\r\nRCPT TO:<alice@example.org>\r\nDATA\r\nNOOP\r\nQUIT\r\n");
        var transcript = await harness.ReadToEndAsync();

        Assert.Contains("\r\n451 ", transcript, StringComparison.Ordinal);
        Assert.EndsWith("250 2.0.0 Ok\r\n221 2.0.0 Bye\r\n", transcript, StringComparison.Ordinal);
        Assert.DoesNotContain("\r\n354 ", transcript, StringComparison.Ordinal);
        Assert.Empty(harness.Store.Deliveries);
        Assert.Empty(Directory.GetFiles(harness.SpoolDirectory));
    }
}
