using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Postino.Server.Auth;
using Postino.Server.Sessions;
using Postino.Storage;
using Postino.Storage.Users;

namespace Postino.Server.Pop3;

/// <summary>Everything a session and its commands use, shared by all sessions (built once by DI).</summary>
public sealed class Pop3SessionServices(
    Pop3Options options,
    Pop3ServerIdentity identity,
    IMailStore store,
    IPasswordAuthenticator authenticator,
    Pop3CommandTable commands,
    Pop3Capabilities capabilities,
    IPop3LoginPolicy loginPolicy,
    IPop3ExpirePolicy expirePolicy,
    IApopTimestampSource apopTimestamps,
    TimeProvider timeProvider,
    ILogger<Pop3Session> logger,
    IUserDirectory? userDirectory = null,
    ILoginPolicy? sharedLoginPolicy = null,
    IPlainSecretLookup? plainSecrets = null,
    SessionLimits? sessionLimits = null,
    IHostApplicationLifetime? lifetime = null)
{
    /// <summary>The command and login deadlines (Limits section).</summary>
    public SessionLimits Limits { get; } = sessionLimits ?? new SessionLimits();

    /// <summary>Fires when the server begins a graceful stop (SIGTERM).</summary>
    public CancellationToken Stopping { get; } = lifetime?.ApplicationStopping ?? default;

    public Pop3Options Options { get; } = options;

    /// <summary>The host name the greeting and sign-off name.</summary>
    public string HostName { get; } = identity.HostName;

    public IMailStore Store { get; } = store;

    public IPasswordAuthenticator Authenticator { get; } = authenticator;

    /// <summary>The user directory, needed by APOP (plaintext secrets); null when none is registered.</summary>
    public IUserDirectory? UserDirectory { get; } = userDirectory;

    /// <summary>
    /// The penalty and LOGIN-DELAY policy shared by every mechanism, for logins the session verifies itself (APOP);
    /// null when none is registered (then APOP applies neither).
    /// </summary>
    public ILoginPolicy? SharedLoginPolicy { get; } = sharedLoginPolicy;

    /// <summary>Where APOP finds {PLAIN} secrets; null: read them from <see cref="UserDirectory"/>.</summary>
    public IPlainSecretLookup? PlainSecrets { get; } = plainSecrets;

    public Pop3CommandTable Commands { get; } = commands;

    public Pop3Capabilities Capabilities { get; } = capabilities;

    public IPop3LoginPolicy LoginPolicy { get; } = loginPolicy;

    public IPop3ExpirePolicy ExpirePolicy { get; } = expirePolicy;

    public IApopTimestampSource ApopTimestamps { get; } = apopTimestamps;

    public TimeProvider TimeProvider { get; } = timeProvider;

    public ILogger<Pop3Session> Logger { get; } = logger;
}

/// <summary>The name the POP3 server gives itself (from the server options' HostName).</summary>
public sealed record Pop3ServerIdentity(string HostName);
