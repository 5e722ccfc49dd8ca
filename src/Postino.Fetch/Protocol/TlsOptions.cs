namespace Postino.Fetch.Protocol;

/// <summary>How the client checks the server's certificate.</summary>
public sealed record TlsOptions
{
    /// <summary>Accept any certificate (self-signed test servers). Off by default.</summary>
    public bool Insecure { get; init; }

    /// <summary>
    /// SHA-256 of the server certificate (hex, colons and case ignored). When set, exactly this certificate is
    /// accepted, whatever its chain or name, and no other.
    /// </summary>
    public string? Sha256Fingerprint { get; init; }

    /// <summary>The name to check the certificate against; defaults to the host connected to.</summary>
    public string? ServerName { get; init; }
}
