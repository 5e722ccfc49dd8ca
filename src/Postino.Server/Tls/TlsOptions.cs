using System.Net.Security;
using System.Security.Authentication;

namespace Postino.Server.Tls;

/// <summary>TLS settings shared by the implicit-TLS listener and STLS.</summary>
public sealed record TlsOptions
{
    /// <summary>TLS 1.2 and 1.3 unless configured otherwise.</summary>
    public SslProtocols Protocols { get; init; } = SslProtocols.Tls12 | SslProtocols.Tls13;

    /// <summary>Allowed cipher suites (Linux and macOS only, via CipherSuitesPolicy); null keeps the system policy.</summary>
    public IReadOnlyList<TlsCipherSuite>? CipherSuites { get; init; }

    /// <summary>How long a client may take over its handshake.</summary>
    public TimeSpan HandshakeTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Reads a protocol list such as "tls1.2,tls1.3" (also "TLSv1.2", "1.3"; separators ',', ':', ' ').
    /// </summary>
    /// <exception cref="FormatException">An unknown or empty list (a configuration error).</exception>
    public static SslProtocols ParseProtocols(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var protocols = SslProtocols.None;
        foreach (var item in Split(text))
        {
            var name = item.ToUpperInvariant().Replace("TLSV", "", StringComparison.Ordinal).Replace("TLS", "", StringComparison.Ordinal);
            protocols |= name switch
            {
                "1.2" or "12" => SslProtocols.Tls12,
                "1.3" or "13" => SslProtocols.Tls13,
                _ => throw new FormatException($"Unknown or unsupported TLS protocol '{item}' (use tls1.2, tls1.3)."),
            };
        }

        return protocols == SslProtocols.None ? throw new FormatException("No TLS protocol given.") : protocols;
    }

    /// <summary>Reads cipher suite names as IANA spells them ("TLS_AES_128_GCM_SHA256:TLS_ECDHE_..."), any separator.</summary>
    /// <exception cref="FormatException">An unknown name or an empty list.</exception>
    public static IReadOnlyList<TlsCipherSuite> ParseCipherSuites(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var suites = new List<TlsCipherSuite>();
        foreach (var item in Split(text))
        {
            if (!item.StartsWith("TLS_", StringComparison.OrdinalIgnoreCase)
                || !Enum.TryParse<TlsCipherSuite>(item, ignoreCase: true, out var suite))
            {
                throw new FormatException($"Unknown TLS cipher suite '{item}'.");
            }

            suites.Add(suite);
        }

        return suites.Count == 0 ? throw new FormatException("No TLS cipher suite given.") : suites;
    }

    private static string[] Split(string text) =>
        text.Split([',', ':', ' ', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
