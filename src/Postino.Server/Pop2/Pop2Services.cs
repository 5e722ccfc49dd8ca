using Microsoft.Extensions.Logging;
using Postino.Server.Auth;
using Postino.Server.Sessions;
using Postino.Storage;

namespace Postino.Server.Pop2;

/// <summary>What every POP2 session of a listener shares.</summary>
/// <param name="Limits">The Limits section's command and login deadlines.</param>
/// <param name="Stopping">Fires when the server begins a graceful stop (SIGTERM).</param>
/// <param name="DefaultHostName">The greeting's host name when <see cref="Pop2Options.HostName"/> is not set (the server's).</param>
public sealed record Pop2Services(
    IMailStore Store,
    IPasswordAuthenticator Authenticator,
    Pop2Options Options,
    TimeProvider Time,
    ILogger Logger,
    string? DefaultHostName = null,
    SessionLimits? Limits = null,
    CancellationToken Stopping = default)
{
    /// <summary>The command and login deadlines (defaults when none were given).</summary>
    public SessionLimits SessionLimits => Limits ?? DefaultLimits;

    private static SessionLimits DefaultLimits { get; } = new();

    public string HostName => Options.HostName ?? DefaultHostName ?? LocalHostName.Default;
}
