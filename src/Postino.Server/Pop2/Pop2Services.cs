using System.Net;
using Microsoft.Extensions.Logging;
using Postino.Server.Auth;
using Postino.Server.Sessions;
using Postino.Server.Tls;
using Postino.Storage;

namespace Postino.Server.Pop2;

/// <summary>What every POP2 session of a listener shares.</summary>
/// <param name="Limits">The Limits section's command and login deadlines.</param>
/// <param name="Stopping">Fires when the server begins a graceful stop (SIGTERM).</param>
/// <param name="Plaintext">The login policy's trusted networks (Auth:TrustedNetworks), shared with POP3; loopback when null.</param>
/// <param name="DefaultHostName">The greeting's host name when <see cref="Pop2Options.HostName"/> is not set (the server's).</param>
public sealed record Pop2Services(
    IMailStore Store,
    IPasswordAuthenticator Authenticator,
    Pop2Options Options,
    TimeProvider Time,
    ILogger Logger,
    string? DefaultHostName = null,
    SessionLimits? Limits = null,
    CancellationToken Stopping = default,
    PlaintextAuthPolicy? Plaintext = null)
{
    /// <summary>The command and login deadlines (defaults when none were given).</summary>
    public SessionLimits SessionLimits => Limits ?? DefaultLimits;

    private static SessionLimits DefaultLimits { get; } = new();

    /// <summary>
    /// True when HELO's plaintext password is acceptable from <paramref name="remote"/>: POP2 never has TLS, so the
    /// address must be trusted by the shared policy. No IP address means a local transport (Unix socket, in-process pipe).
    /// </summary>
    public bool AllowsPlaintextFrom(IPAddress? remote) =>
        Options.AllowPlaintextFromUntrusted
        || remote is null
        || (Plaintext ?? PlaintextAuthPolicy.LoopbackTrusted).Allows(remote, tlsActive: false);

    public string HostName => Options.HostName ?? DefaultHostName ?? LocalHostName.Default;
}
