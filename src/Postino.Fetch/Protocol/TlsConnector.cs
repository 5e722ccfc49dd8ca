using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Postino.Fetch.Protocol;

/// <summary>Wraps a connected stream in TLS, verifying the certificate as <see cref="TlsOptions"/> says.</summary>
public static class TlsConnector
{
    /// <summary>Runs the client handshake; a rejected certificate throws <see cref="MailTlsException"/>.</summary>
    public static async Task<Stream> AuthenticateAsync(Stream inner, string host, TlsOptions options, CancellationToken cancellationToken)
    {
        var expected = NormalizeFingerprint(options.Sha256Fingerprint);
        var ssl = new SslStream(inner, leaveInnerStreamOpen: false);
        try
        {
            await ssl.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
            {
                TargetHost = options.ServerName ?? host,
                EnabledSslProtocols = SslProtocols.None,
                RemoteCertificateValidationCallback = (_, certificate, _, errors) =>
                    IsAcceptable(certificate, errors, options.Insecure, expected),
            }, cancellationToken);
            return ssl;
        }
        catch (AuthenticationException exception)
        {
            await ssl.DisposeAsync();
            throw new MailTlsException($"TLS handshake with {host} failed: {exception.Message}", exception);
        }
        catch (IOException exception)
        {
            await ssl.DisposeAsync();
            throw new MailProtocolException($"TLS handshake with {host} failed: {exception.Message}", exception);
        }
        catch
        {
            await ssl.DisposeAsync();
            throw;
        }
    }

    /// <summary>The SHA-256 fingerprint of a certificate, upper-case hex with colons (as openssl prints it).</summary>
    public static string Fingerprint(X509Certificate certificate)
    {
        var hash = SHA256.HashData(certificate.GetRawCertData());
        return string.Join(':', hash.Select(b => b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture)));
    }

    /// <summary>Hex digits only, upper case; null when none given. Throws on anything that is not 32 bytes of hex.</summary>
    public static string? NormalizeFingerprint(string? fingerprint)
    {
        if (string.IsNullOrWhiteSpace(fingerprint))
        {
            return null;
        }

        var hex = fingerprint.Trim();
        if (hex.StartsWith("sha256:", StringComparison.OrdinalIgnoreCase))
        {
            hex = hex[7..];
        }

        hex = hex.Replace(":", string.Empty, StringComparison.Ordinal).ToUpperInvariant();
        if (hex.Length != 64 || !hex.All(Uri.IsHexDigit))
        {
            throw new ArgumentException("A SHA-256 fingerprint is 64 hex digits (colons allowed).", nameof(fingerprint));
        }

        return hex;
    }

    private static bool IsAcceptable(X509Certificate? certificate, SslPolicyErrors errors, bool insecure, string? expectedFingerprint)
    {
        if (expectedFingerprint is not null)
        {
            return certificate is not null
                && Fingerprint(certificate).Replace(":", string.Empty, StringComparison.Ordinal) == expectedFingerprint;
        }

        return insecure || errors == SslPolicyErrors.None;
    }
}
