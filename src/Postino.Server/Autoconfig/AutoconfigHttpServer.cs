using System.Net;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Logging;

namespace Postino.Server.Autoconfig;

/// <summary>
/// Mail-client autoconfiguration over HTTP/1.1 (HTTPS when a certificate is given): Thunderbird's
/// <c>GET /mail/config-v1.1.xml?emailaddress=...</c> and <c>GET /.well-known/autoconfig/mail/config-v1.1.xml</c>, and
/// Outlook's <c>POST /autodiscover/autodiscover.xml</c>. Internet-facing: small request, header and body limits.
/// </summary>
public sealed class AutoconfigHttpServer : IAsyncDisposable
{
    public const int MaxRequestBody = 8 * 1024;

    private readonly WebApplication _app;
    private ListenOptions? _bound;

    public AutoconfigHttpServer(EndPoint endPoint, MailSettingsOffer offer, Func<X509Certificate2?>? certificate = null, Action<ILoggingBuilder>? logging = null)
    {
        ArgumentNullException.ThrowIfNull(offer);
        EndPoint = endPoint;
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        logging?.Invoke(builder.Logging);
        if (certificate is not null)
        {
            builder.WebHost.UseKestrelHttpsConfiguration();
        }

        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestHeaderCount = 40;
            kestrel.Limits.MaxRequestHeadersTotalSize = 16 * 1024;
            kestrel.Limits.MaxRequestLineSize = 4096;
            kestrel.Limits.MaxRequestBodySize = MaxRequestBody;
            kestrel.Limits.MaxConcurrentConnections = 256;
            kestrel.Limits.RequestHeadersTimeout = TimeSpan.FromSeconds(10);
            kestrel.Limits.KeepAliveTimeout = TimeSpan.FromSeconds(30);
            kestrel.Limits.MinRequestBodyDataRate = new MinDataRate(240, TimeSpan.FromSeconds(5));
            kestrel.Listen(endPoint, listen =>
            {
                _bound = listen;
                if (certificate is not null)
                {
                    listen.UseHttps(https => https.ServerCertificateSelector = (_, _) => certificate());
                }
            });
        });
        _app = builder.Build();
        _app.Run(context => HandleAsync(context, offer));
    }

    public EndPoint EndPoint { get; }

    public EndPoint? BoundEndPoint => _bound?.EndPoint;

    public Task StartAsync(CancellationToken cancellationToken) => _app.StartAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => _app.StopAsync(cancellationToken);

    public ValueTask DisposeAsync() => _app.DisposeAsync();

    private static async Task HandleAsync(HttpContext context, MailSettingsOffer offer)
    {
        var request = context.Request;
        var response = context.Response;
        var path = request.Path.Value ?? "";
        if (HttpMethods.IsGet(request.Method) && (path == "/mail/config-v1.1.xml" || path == "/.well-known/autoconfig/mail/config-v1.1.xml"))
        {
            var address = request.Query["emailaddress"].ToString();
            var domain = AutoconfigDocuments.IsAddress(address) ? address[(address.LastIndexOf('@') + 1)..] : DomainFromHost(request, offer);
            if (domain is null || !offer.Domains.Contains(domain.ToLowerInvariant()))
            {
                response.StatusCode = StatusCodes.Status404NotFound;
                return;
            }

            await WriteXmlAsync(response, AutoconfigDocuments.Thunderbird(offer, domain.ToLowerInvariant()), context.RequestAborted);
            return;
        }

        if (path.Equals("/autodiscover/autodiscover.xml", StringComparison.OrdinalIgnoreCase))
        {
            if (!HttpMethods.IsPost(request.Method))
            {
                response.StatusCode = StatusCodes.Status405MethodNotAllowed;
                response.Headers.Allow = "POST";
                return;
            }

            // Read the bounded body into memory first: the XML reader is synchronous.
            using var body = new MemoryStream();
            try
            {
                await request.Body.CopyToAsync(body, context.RequestAborted);
            }
            catch (Microsoft.AspNetCore.Http.BadHttpRequestException)
            {
                response.StatusCode = StatusCodes.Status413PayloadTooLarge;
                return;
            }

            body.Position = 0;
            var address = AutoconfigDocuments.ReadAutodiscoverRequest(body, MaxRequestBody);
            if (address is null)
            {
                response.StatusCode = StatusCodes.Status400BadRequest;
                return;
            }

            if (!offer.Domains.Contains(address[(address.LastIndexOf('@') + 1)..].ToLowerInvariant()))
            {
                response.StatusCode = StatusCodes.Status404NotFound;
                return;
            }

            await WriteXmlAsync(response, AutoconfigDocuments.Outlook(offer, address), context.RequestAborted);
            return;
        }

        response.StatusCode = StatusCodes.Status404NotFound;
    }

    // autoconfig.example.org asks for example.org.
    private static string? DomainFromHost(HttpRequest request, MailSettingsOffer offer)
    {
        var host = request.Host.Host.ToLowerInvariant();
        var domain = host.StartsWith("autoconfig.", StringComparison.Ordinal) ? host["autoconfig.".Length..] : host;
        return offer.Domains.Contains(domain) ? domain : offer.Domains.Count == 1 ? offer.Domains.First() : null;
    }

    private static async Task WriteXmlAsync(HttpResponse response, string xml, CancellationToken cancellationToken)
    {
        response.ContentType = "application/xml; charset=utf-8";
        response.Headers.CacheControl = "max-age=3600";
        await response.WriteAsync(xml, cancellationToken);
    }
}
