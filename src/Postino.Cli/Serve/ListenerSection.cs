using Microsoft.Extensions.Configuration;
using Postino.Cli.Configuration;
using Postino.Server.Hosting;

namespace Postino.Cli.Serve;

/// <summary>
/// One listener as the configuration describes it, read the same way for every protocol (POP3, POP3S, POP2, LMTP,
/// SMTP): the section's <c>Listen</c> (else <see cref="ListenerDefaults"/>) and its admission (the section's keys over
/// <c>Limits</c>). The keys of <see cref="Keys"/> are allowed in every listener section besides the protocol's own.
/// </summary>
internal sealed record ListenerSection(string Name, string Section, string Address, ConnectionAdmissionOptions Admission)
{
    /// <summary>Keys a listener section may hold besides its protocol's options: its address, certificate and admission.</summary>
    public static readonly string[] Keys = ["Listen", "CertificateFile", "PrivateKeyFile", .. ListenerAdmissionSettings.Keys];

    public static ListenerSection Read(
        IConfiguration configuration,
        string name,
        string section,
        bool embedded,
        ConnectionAdmissionOptions limits)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var address = configuration[$"{section}:Listen"] is { Length: > 0 } value ? value : ListenerDefaults.For(section, embedded);
        return new ListenerSection(name, section, address, ListenerAdmissionSettings.Read(configuration, section, limits));
    }
}
