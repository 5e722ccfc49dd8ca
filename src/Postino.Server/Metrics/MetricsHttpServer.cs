using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Postino.Server.Metrics;

/// <summary>
/// The metrics listener: <c>GET /metrics</c> (Prometheus text) and <c>GET /healthz</c> (200 "ok", or 503 with the
/// reason). Plain HTTP/1.1 on its own Kestrel, with small request limits: it is meant for loopback or a monitoring
/// network, but must not fall over if exposed.
/// </summary>
public sealed class MetricsHttpServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    public MetricsHttpServer(EndPoint endPoint, PrometheusExporter exporter, Func<CancellationToken, ValueTask<string?>> health, Action<ILoggingBuilder>? logging = null)
    {
        ArgumentNullException.ThrowIfNull(exporter);
        ArgumentNullException.ThrowIfNull(health);
        EndPoint = endPoint;
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        logging?.Invoke(builder.Logging);
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestHeaderCount = 30;
            kestrel.Limits.MaxRequestHeadersTotalSize = 8 * 1024;
            kestrel.Limits.MaxRequestLineSize = 2048;
            kestrel.Limits.MaxRequestBodySize = 0;
            kestrel.Limits.MaxConcurrentConnections = 32;
            kestrel.Limits.RequestHeadersTimeout = TimeSpan.FromSeconds(10);
            kestrel.Limits.KeepAliveTimeout = TimeSpan.FromSeconds(30);
            kestrel.Listen(endPoint, listen => Bound = listen);
        });
        _app = builder.Build();
        _app.Run(async context =>
        {
            var request = context.Request;
            var response = context.Response;
            if (!HttpMethods.IsGet(request.Method) && !HttpMethods.IsHead(request.Method))
            {
                response.StatusCode = StatusCodes.Status405MethodNotAllowed;
                response.Headers.Allow = "GET, HEAD";
                return;
            }

            switch (request.Path.Value)
            {
                case "/metrics":
                    response.ContentType = "text/plain; version=0.0.4; charset=utf-8";
                    await exporter.WriteAsync(response.Body, context.RequestAborted);
                    break;
                case "/healthz":
                    var problem = await health(context.RequestAborted);
                    response.StatusCode = problem is null ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable;
                    response.ContentType = "text/plain; charset=utf-8";
                    await response.WriteAsync((problem ?? "ok") + "\n", context.RequestAborted);
                    break;
                default:
                    response.StatusCode = StatusCodes.Status404NotFound;
                    break;
            }
        });
    }

    /// <summary>The configured end point.</summary>
    public EndPoint EndPoint { get; }

    /// <summary>The end point actually bound (the real port when 0 was asked); valid after start.</summary>
    public EndPoint? BoundEndPoint => Bound?.EndPoint;

    private Microsoft.AspNetCore.Server.Kestrel.Core.ListenOptions? Bound { get; set; }

    public Task StartAsync(CancellationToken cancellationToken) => _app.StartAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => _app.StopAsync(cancellationToken);

    public ValueTask DisposeAsync() => _app.DisposeAsync();
}
