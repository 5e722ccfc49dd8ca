using System.IO.Pipelines;

namespace Postino.Server.Smtp;

/// <summary>
/// Turns a plaintext connection into a TLS one for STARTTLS (RFC 3207). The SMTP session offers STARTTLS only
/// when one is registered and <see cref="IsAvailable"/> (a certificate is configured); the session kernel runs it
/// (discarding pipelined plaintext first) and owns the pipe it returns.
/// </summary>
public interface IStartTlsUpgrade
{
    bool IsAvailable { get; }

    /// <summary>Runs the TLS handshake as the server over <paramref name="transport"/> and returns the secured pipe.</summary>
    ValueTask<IDuplexPipe> UpgradeAsync(IDuplexPipe transport, CancellationToken cancellationToken);
}
