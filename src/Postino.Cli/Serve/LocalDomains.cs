using Microsoft.Extensions.Configuration;

namespace Postino.Cli.Serve;

/// <summary>
/// The mail domains inbound SMTP accepts mail for: <c>Domains</c> in the config and every <c>--domain</c>; when none
/// is given, <c>localhost</c> and the machine's host name (the embedded default).
/// </summary>
internal static class LocalDomains
{
    public static void Apply(IConfiguration configuration, string hostName, IList<string> domains)
    {
        var configured = configuration.GetSection("Domains").GetChildren()
            .Select(c => c.Value)
            .Where(v => !string.IsNullOrWhiteSpace(v))
            .Select(v => v!.Trim().ToLowerInvariant())
            .Distinct()
            .ToList();
        domains.Clear();
        foreach (var domain in configured.Count > 0 ? configured : ["localhost", hostName.ToLowerInvariant()])
        {
            if (!domains.Contains(domain))
            {
                domains.Add(domain);
            }
        }
    }
}
