namespace Postino.Server.Security;

/// <summary>LOGIN-DELAY (RFC 2449): the server-wide minimum time between two logins of one user.</summary>
public sealed class LoginDelayOptions
{
    /// <summary>The default for users without <c>postino_login_delay</c> in the users file; zero means none.</summary>
    public TimeSpan DefaultDelay { get; init; } = TimeSpan.Zero;
}
