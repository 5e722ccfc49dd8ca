using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Postino.Cli.Configuration;
using Postino.Server.Autoconfig;
using Postino.Server.Hosting;
using Postino.Server.Tls;
using Postino.Storage.Users;

namespace Postino.Cli.Serve;

/// <summary>
/// The <c>Autoconfig</c> section: <c>Listen</c> (<c>--autoconfig</c>, off unless set) and <c>HostName</c> (the public
/// name clients connect to; default <c>Server:HostName</c>) and <c>Submission</c> (the outgoing server offered to
/// Thunderbird, default HostName:587). HTTPS with the <c>Tls</c> certificate when one is
/// configured, else plain HTTP.
/// </summary>
internal static class AutoconfigListener
{
    public static AutoconfigHttpServer? Build(PostinoSite site, PostinoServer server, Action<ILoggingBuilder> logging)
    {
        var settings = ConfigurationLoader.Bind(site.Configuration, "Autoconfig", new AutoconfigSettings());
        if (!ListenAddress.TryParse(settings.Listen ?? ListenAddress.None, out var endPoint, out var error))
        {
            throw new ConfigurationProblem($"Autoconfig:Listen: {error}");
        }

        if (endPoint is null)
        {
            return null;
        }

        var hostName = settings.HostName is { Length: > 0 } name ? name : site.HostName;
        var submission = Submission(settings.Submission, hostName);
        var domains = new List<string>();
        LocalDomains.Apply(site.Configuration, site.HostName, domains);
        var retention = RetentionSettings.Read(site.Configuration);
        var offer = new MailSettingsOffer
        {
            HostName = hostName,
            Submission = submission,
            Pop3Port = PortOf(server, "pop3"),
            Pop3sPort = PortOf(server, "pop3s"),
            Domains = domains,
            KeepDays = domain =>
            {
                var policy = (retention.Domains.TryGetValue(domain, out var own) ? own : retention.Default).Policy;
                return policy.Mode switch
                {
                    RetentionMode.DeleteOnRetrieve => 0,
                    RetentionMode.KeepDays => policy.KeepDays,
                    _ => null,
                };
            },
        };

        // Only a real certificate (Tls:CertificateFile) is offered over HTTPS: clients would refuse a self-signed one.
        var provider = site.Configuration["Tls:CertificateFile"] is { Length: > 0 } ? server.Services.GetService<FileCertificateProvider>() : null;
        return new AutoconfigHttpServer(endPoint, offer, provider is null ? null : () => provider.Current?.Certificate, logging);
    }

    /// <summary><c>Autoconfig:Submission</c>: <c>HOST:PORT</c>, <c>none</c>, or (unset) the public host name on 587.</summary>
    private static (string Host, int Port)? Submission(string? value, string hostName)
    {
        if (string.IsNullOrEmpty(value))
        {
            return (hostName, 587);
        }

        if (value.Equals(ListenAddress.None, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var colon = value.LastIndexOf(':');
        if (colon <= 0
            || !int.TryParse(value.AsSpan(colon + 1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var port)
            || port is < 1 or > 65535
            || Uri.CheckHostName(value[..colon]) is UriHostNameType.Unknown)
        {
            throw new ConfigurationProblem($"Autoconfig:Submission: expected HOST:PORT or none, not '{value}'");
        }

        return (value[..colon], port);
    }

    // The configured port; with port 0 (tests) the bound one is known only after start, read lazily.
    private static int? PortOf(PostinoServer server, string name)
    {
        var listener = server.Listeners.FirstOrDefault(l => l.Name == name);
        return listener?.EndPoint is IPEndPoint { Port: > 0 } ip ? ip.Port : (listener?.BoundEndPoint as IPEndPoint)?.Port;
    }
}

/// <summary>The keys of the <c>Autoconfig</c> section.</summary>
internal sealed class AutoconfigSettings
{
    public string? Listen { get; set; }

    public string? HostName { get; set; }

    public string? Submission { get; set; }
}
