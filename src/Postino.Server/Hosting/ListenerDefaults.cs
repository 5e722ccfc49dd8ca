namespace Postino.Server.Hosting;

/// <summary>
/// Default listener addresses. The embedded default (no config file) listens on loopback only, on unprivileged ports,
/// so it runs as any user and exposes nothing; with a config file, a listener not mentioned takes its IANA port on
/// every address (LMTP stays on loopback: it has no authentication and is for the local MTA). The one place the
/// default ports are written: the options' defaults, <c>postino serve</c>'s composition and its help read them here.
/// </summary>
public static class ListenerDefaults
{
    /// <summary>The flag's help text: both defaults of <paramref name="listener"/>.</summary>
    public static string Describe(string listener) => $"Default {For(listener, embedded: true)}; {For(listener, embedded: false)} with --config.";

    public static string For(string listener, bool embedded) => (listener, embedded) switch
    {
        ("Pop3", true) => "127.0.0.1:1110",
        ("Pop3s", true) => "127.0.0.1:1995",
        ("Pop2", true) => "127.0.0.1:1109",
        ("Lmtp", true) => "127.0.0.1:2424",
        ("Smtp", true) => "127.0.0.1:2525",
        ("Pop3", false) => "*:110",
        ("Pop3s", false) => "*:995",
        ("Pop2", false) => "*:109",
        ("Lmtp", false) => "127.0.0.1:24",
        ("Smtp", false) => "*:25",
        _ => throw new ArgumentOutOfRangeException(nameof(listener), listener, "no such listener"),
    };
}
