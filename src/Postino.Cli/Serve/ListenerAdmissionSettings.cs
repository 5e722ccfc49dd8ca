using Microsoft.Extensions.Configuration;
using Postino.Cli.Configuration;
using Postino.Server.Hosting;

namespace Postino.Cli.Serve;

/// <summary>
/// The admission keys a listener's own section may set (<c>Smtp:TotalConnections</c>, <c>Pop3:ProxyProtocol</c>, ...),
/// over the <c>Limits</c> section's values.
/// </summary>
internal sealed class ListenerAdmissionSettings
{
    /// <summary>The key names, allowed in every listener section besides the protocol's own.</summary>
    public static readonly string[] Keys = ["ConnectionsPerAddress", "TotalConnections", "PendingHandshakes", "HandshakeTimeout", "ProxyProtocol"];

    public int? ConnectionsPerAddress { get; set; }

    public int? TotalConnections { get; set; }

    public int? PendingHandshakes { get; set; }

    public TimeSpan? HandshakeTimeout { get; set; }

    public bool ProxyProtocol { get; set; }

    /// <summary>The admission of the listener configured in <paramref name="section"/>.</summary>
    public static ConnectionAdmissionOptions Read(IConfiguration configuration, string section, ConnectionAdmissionOptions defaults)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(defaults);
        var own = new ListenerAdmissionSettings();
        try
        {
            // Not strict: the section's other keys belong to the protocol, whose own binding checks them.
            configuration.GetSection(section).Bind(own);
        }
        catch (InvalidOperationException exception)
        {
            throw new ConfigurationProblem($"{section}: {exception.Message} {exception.InnerException?.Message}".TrimEnd());
        }

        var admission = defaults with
        {
            ConnectionsPerAddress = own.ConnectionsPerAddress ?? defaults.ConnectionsPerAddress,
            TotalConnections = own.TotalConnections ?? defaults.TotalConnections,
            PendingHandshakes = own.PendingHandshakes ?? defaults.PendingHandshakes,
            HandshakeTimeout = own.HandshakeTimeout ?? defaults.HandshakeTimeout,
            ProxyProtocol = own.ProxyProtocol,
        };
        var errors = admission.Validate(section);
        return errors.Count == 0 ? admission : throw new ConfigurationProblem(string.Join("; ", errors));
    }
}
