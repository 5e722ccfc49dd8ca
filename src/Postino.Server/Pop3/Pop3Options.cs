using Postino.Protocols.Pop3;
using Postino.Server.Hosting;

namespace Postino.Server.Pop3;

/// <summary>POP3 listener and session options (config section "Pop3").</summary>
public sealed class Pop3Options
{
    /// <summary>Where the plain POP3 listener listens: "ADDR:PORT", "unix:PATH" or "none".</summary>
    public string Listen { get; set; } = ListenerDefaults.For("Pop3", embedded: true);

    /// <summary>Longest command line in octets, CRLF included (RFC 2449: 255).</summary>
    public int MaxLineLength { get; set; } = Pop3CommandParser.DefaultMaxLineLength;

    /// <summary>Bad commands that end a session.</summary>
    public int MaxBadCommands { get; set; } = 20;

    /// <summary>Bad commands (failed logins included) that end a session before login.</summary>
    public int MaxBadCommandsBeforeLogin { get; set; } = 3;

    /// <summary>A session that sends nothing (or reads nothing) for this long is closed without committing.</summary>
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Offer APOP (the greeting then carries a timestamp); only users with a {PLAIN} secret can use it.</summary>
    public bool EnableApop { get; set; }

    /// <summary>The server's LOGIN-DELAY announced in CAPA, in seconds.</summary>
    public int LoginDelaySeconds { get; set; }

    /// <summary>The IMPLEMENTATION capability's value.</summary>
    public string Implementation { get; set; } = "Postino";

    /// <summary>Problems with these options, each naming the option ("Pop3:IdleTimeout: ...").</summary>
    public IReadOnlyList<string> Validate(string section = "Pop3")
    {
        var errors = new List<string>();
        if (!ListenAddress.TryParse(Listen, out _, out var listenError))
        {
            errors.Add($"{section}:Listen: {listenError}");
        }

        if (MaxLineLength is < Pop3CommandParser.DefaultMaxLineLength or > 65536)
        {
            errors.Add($"{section}:MaxLineLength: must be between {Pop3CommandParser.DefaultMaxLineLength} and 65536 (got {MaxLineLength})");
        }

        if (MaxBadCommands < 1)
        {
            errors.Add($"{section}:MaxBadCommands: must be at least 1 (got {MaxBadCommands})");
        }

        if (MaxBadCommandsBeforeLogin < 1)
        {
            errors.Add($"{section}:MaxBadCommandsBeforeLogin: must be at least 1 (got {MaxBadCommandsBeforeLogin})");
        }

        if (IdleTimeout <= TimeSpan.Zero || IdleTimeout > TimeSpan.FromDays(1))
        {
            errors.Add($"{section}:IdleTimeout: must be more than 0 and at most 1 day (got {IdleTimeout})");
        }

        if (LoginDelaySeconds < 0)
        {
            errors.Add($"{section}:LoginDelaySeconds: must not be negative (got {LoginDelaySeconds})");
        }

        if (string.IsNullOrWhiteSpace(Implementation) || Implementation.Any(char.IsControl))
        {
            errors.Add($"{section}:Implementation: must be printable text");
        }

        return errors;
    }
}
