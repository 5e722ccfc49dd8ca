using System.Net;

namespace Postino.Interop.Tests;

/// <summary>
/// <c>--metrics</c>: a real scrape of a running server after real POP3 and LMTP traffic, checked by Prometheus's own
/// <c>promtool check metrics</c>, and <c>/healthz</c>.
/// </summary>
public class MetricsTests
{
    [Fact]
    public async Task A_scrape_counts_logins_retrievals_and_deliveries_and_passes_promtool()
    {
        await using var server = await PostinoProcess.StartAsync();
        using (var session = await LineClient.ConnectAsync(server.Port("pop3")))
        {
            await session.ReadLineAsync();
            await session.CommandAsync("USER demo");
            Assert.StartsWith("-ERR", await session.CommandAsync("PASS wrong"), StringComparison.Ordinal);
        }

        using (var session = await LineClient.ConnectAsync(server.Port("pop3")))
        {
            await session.ReadLineAsync();
            await session.CommandAsync("USER demo");
            Assert.StartsWith("+OK", await session.CommandAsync("PASS " + server.DemoPassword), StringComparison.Ordinal);
            Assert.StartsWith("+OK", await session.CommandAsync("RETR 1"), StringComparison.Ordinal);
            while (await session.ReadLineAsync() != ".")
            {
            }

            Assert.StartsWith("+OK", await session.CommandAsync("DELE 1"), StringComparison.Ordinal);
            Assert.StartsWith("+OK", await session.CommandAsync("QUIT"), StringComparison.Ordinal);
        }

        using (var lmtp = await LineClient.ConnectAsync(server.Port("lmtp")))
        {
            await lmtp.ReadLineAsync();
            await lmtp.CommandAsync("LHLO test");
            while (!(await lmtp.ReadLineAsync()).StartsWith("250 ", StringComparison.Ordinal))
            {
            }

            Assert.StartsWith("250", await lmtp.CommandAsync("MAIL FROM:<a@b.test>"), StringComparison.Ordinal);
            Assert.StartsWith("250", await lmtp.CommandAsync("RCPT TO:<demo+news@localhost>"), StringComparison.Ordinal);
            Assert.StartsWith("354", await lmtp.CommandAsync("DATA"), StringComparison.Ordinal);
            Assert.StartsWith("250", await lmtp.CommandAsync("Subject: x\r\n\r\nhello\r\n."), StringComparison.Ordinal);
        }

        using (var pop2 = await LineClient.ConnectAsync(server.Port("pop2")))
        {
            await pop2.ReadLineAsync();
            Assert.StartsWith("-", await pop2.CommandAsync("HELO demo wrong"), StringComparison.Ordinal);
        }

        using (var pop2 = await LineClient.ConnectAsync(server.Port("pop2")))
        {
            await pop2.ReadLineAsync();
            Assert.StartsWith("#", await pop2.CommandAsync("HELO demo " + server.DemoPassword), StringComparison.Ordinal);
            Assert.StartsWith("+", await pop2.CommandAsync("QUIT"), StringComparison.Ordinal);
        }

        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{server.Port("metrics")}") };
        var health = await http.GetAsync(new Uri("/healthz", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Equal("ok\n", await health.Content.ReadAsStringAsync());

        var scrape = await http.GetStringAsync(new Uri("/metrics", UriKind.Relative));
        Assert.Contains("postino_logins_total{protocol=\"pop3\",tls=\"no\",mechanism=\"USER\",result=\"ok\"} 1", scrape, StringComparison.Ordinal);
        Assert.Contains("postino_logins_total{protocol=\"pop3\",tls=\"no\",mechanism=\"USER\",result=\"failed\"} 1", scrape, StringComparison.Ordinal);
        Assert.Contains("postino_messages_retrieved_total{protocol=\"pop3\",tls=\"no\",command=\"RETR\"} 1", scrape, StringComparison.Ordinal);
        Assert.Contains("postino_messages_deleted_total{protocol=\"pop3\",tls=\"no\"} 1", scrape, StringComparison.Ordinal);
        Assert.Contains("postino_sessions_total{protocol=\"pop3\",tls=\"no\",end=\"quit\"} 1", scrape, StringComparison.Ordinal);
        Assert.Contains("postino_logins_total{protocol=\"pop2\",tls=\"no\",mechanism=\"HELO\",result=\"ok\"} 1", scrape, StringComparison.Ordinal);
        Assert.Contains("postino_logins_total{protocol=\"pop2\",tls=\"no\",mechanism=\"HELO\",result=\"failed\"} 1", scrape, StringComparison.Ordinal);
        Assert.Contains("postino_sessions_total{protocol=\"pop2\",tls=\"no\",end=\"quit\"} 1", scrape, StringComparison.Ordinal);
        Assert.Contains("postino_deliveries_total{protocol=\"lmtp\",result=\"ok\",class=\"2xx\"} 1", scrape, StringComparison.Ordinal);
        Assert.Contains("postino_delivery_duration_seconds_count 1", scrape, StringComparison.Ordinal);
        Assert.Contains("postino_connections_accepted_total{protocol=\"lmtp\",tls=\"no\"} 1", scrape, StringComparison.Ordinal);
        Assert.Contains("postino_certificate_expiry_timestamp_seconds{certificate=\"default\"}", scrape, StringComparison.Ordinal);
        Assert.Matches(@"postino_build_info\{version=""\d+\.\d+\.\d+[^""]*""\} 1", scrape);

        var promtool = await ExternalProgram.RunAsync("promtool", ["check", "metrics"], input: scrape);
        Assert.True(promtool.ExitCode == 0, promtool.Stdout + promtool.Stderr);

        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync(new Uri("/other", UriKind.Relative))).StatusCode);
    }
}
