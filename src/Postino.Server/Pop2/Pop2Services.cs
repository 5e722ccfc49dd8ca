using Microsoft.Extensions.Logging;
using Postino.Server.Auth;
using Postino.Storage;

namespace Postino.Server.Pop2;

/// <summary>What every POP2 session of a listener shares.</summary>
/// <param name="DefaultHostName">The greeting's host name when <see cref="Pop2Options.HostName"/> is not set (the server's).</param>
public sealed record Pop2Services(
    IMailStore Store,
    IPasswordAuthenticator Authenticator,
    Pop2Options Options,
    TimeProvider Time,
    ILogger Logger,
    string? DefaultHostName = null)
{
    public string HostName => Options.HostName ?? DefaultHostName ?? LocalHostName.Default;
}
