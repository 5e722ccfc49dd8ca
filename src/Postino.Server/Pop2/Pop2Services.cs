using Microsoft.Extensions.Logging;
using Postino.Server.Auth;
using Postino.Storage;

namespace Postino.Server.Pop2;

/// <summary>What every POP2 session of a listener shares.</summary>
public sealed record Pop2Services(
    IMailStore Store,
    IPasswordAuthenticator Authenticator,
    Pop2Options Options,
    TimeProvider Time,
    ILogger Logger);
