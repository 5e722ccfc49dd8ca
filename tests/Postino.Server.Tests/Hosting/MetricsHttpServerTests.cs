using System.Net;
using Postino.Server.Metrics;

namespace Postino.Server.Tests.Hosting;

public sealed class MetricsHttpServerTests
{
    [Fact]
    public async Task Healthz_answers_503_with_the_reason_when_unhealthy()
    {
        using var metrics = new PostinoMetrics();
        using var exporter = new PrometheusExporter(metrics);
        string? problem = "not listening: pop3";
        await using var server = new MetricsHttpServer(new IPEndPoint(IPAddress.Loopback, 0), exporter, _ => ValueTask.FromResult<string?>(problem));
        await server.StartAsync(CancellationToken.None);
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{((IPEndPoint)server.BoundEndPoint!).Port}") };

        var unhealthy = await http.GetAsync(new Uri("/healthz", UriKind.Relative));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, unhealthy.StatusCode);
        Assert.Equal("not listening: pop3\n", await unhealthy.Content.ReadAsStringAsync());

        problem = null;
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(new Uri("/healthz", UriKind.Relative))).StatusCode);

        metrics.Delivery("lmtp", 452);
        var scrape = await http.GetStringAsync(new Uri("/metrics", UriKind.Relative));
        Assert.Contains("postino_deliveries_total{protocol=\"lmtp\",result=\"refused\",class=\"4xx\"} 1", scrape, StringComparison.Ordinal);
        await server.StopAsync(CancellationToken.None);
    }
}
