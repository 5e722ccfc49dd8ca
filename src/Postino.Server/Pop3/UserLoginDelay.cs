namespace Postino.Server.Pop3;

/// <summary>
/// The logged-in user's own LOGIN-DELAY, kept on the session so that CAPA after login announces it (RFC 2449: the
/// value may differ per user once the user is known).
/// </summary>
public sealed record UserLoginDelay(TimeSpan Delay)
{
    public int Seconds => (int)Math.Ceiling(Delay.TotalSeconds);
}
