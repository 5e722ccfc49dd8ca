using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;

namespace Postino.Interop.Tests;

/// <summary>
/// A private Prometheus (Debian's, scripts/install-prometheus.sh) scraping a running <c>postino serve</c> every second:
/// its own view of the target (<c>up</c>) and of a <c>postino_</c> series, read through its HTTP API.
/// </summary>
public sealed class PrometheusScrapeTests
{
    [Fact]
    public async Task A_real_prometheus_scrapes_the_server_and_stores_its_series()
    {
        await using var server = await PostinoProcess.StartAsync();
        var work = Directory.CreateTempSubdirectory("postino-prometheus-").FullName;
        var port = FreePort();
        await File.WriteAllTextAsync(Path.Combine(work, "prometheus.yml"), $"""
            global:
              scrape_interval: 1s
              scrape_timeout: 1s
            scrape_configs:
              - job_name: postino
                static_configs:
                  - targets: ["127.0.0.1:{server.Port("metrics").ToString(CultureInfo.InvariantCulture)}"]
            """);
        var start = new ProcessStartInfo("prometheus") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var argument in new[]
        {
            $"--config.file={Path.Combine(work, "prometheus.yml")}", $"--storage.tsdb.path={Path.Combine(work, "data")}",
            $"--web.listen-address=127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}",
        })
        {
            start.ArgumentList.Add(argument);
        }

        using var prometheus = Process.Start(start) ?? throw new InvalidOperationException("prometheus did not start: run scripts/install-prometheus.sh");
        var log = new List<string>();
        prometheus.ErrorDataReceived += (_, e) => { lock (log) { log.Add(e.Data ?? string.Empty); } };
        prometheus.OutputDataReceived += (_, e) => { lock (log) { log.Add(e.Data ?? string.Empty); } };
        prometheus.BeginErrorReadLine();
        prometheus.BeginOutputReadLine();
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}") };
            var up = await PollAsync(http, "up", prometheus, log);
            Assert.Equal("1", up);
            var version = await PollAsync(http, "postino_build_info", prometheus, log);
            Assert.Equal("1", version);
        }
        finally
        {
            prometheus.Kill(entireProcessTree: true);
            await prometheus.WaitForExitAsync();
            Directory.Delete(work, recursive: true);
        }
    }

    /// <summary>Asks Prometheus for <paramref name="query"/> until it has a sample (bounded); returns its value.</summary>
    private static async Task<string> PollAsync(HttpClient http, string query, Process prometheus, List<string> log)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (DateTime.UtcNow < deadline && !prometheus.HasExited)
        {
            try
            {
                using var reply = JsonDocument.Parse(await http.GetStringAsync(new Uri($"/api/v1/query?query={Uri.EscapeDataString(query)}", UriKind.Relative)));
                var results = reply.RootElement.GetProperty("data").GetProperty("result");
                if (results.GetArrayLength() > 0 && results[0].GetProperty("value")[1].GetString() is { } value && (query != "up" || value == "1"))
                {
                    return value;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(TimeSpan.FromMilliseconds(200));
        }

        lock (log)
        {
            throw new InvalidOperationException($"Prometheus had no {query} sample in time:\n{string.Join('\n', log.TakeLast(15))}");
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
