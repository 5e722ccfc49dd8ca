namespace Postino.Server.Pop3.Lang;

/// <summary>Present in a session's features once the client sent UTF8.</summary>
public sealed class Utf8Mode
{
    public static Utf8Mode Enabled { get; } = new();

    private Utf8Mode()
    {
    }

    public static bool IsOn(Pop3Session session) => session.Features.Get<Utf8Mode>() is not null;
}
