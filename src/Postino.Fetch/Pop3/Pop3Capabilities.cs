namespace Postino.Fetch.Pop3;

/// <summary>What the server announced in its CAPA reply (RFC 2449); empty when it does not support CAPA.</summary>
public sealed class Pop3Capabilities
{
    private readonly Dictionary<string, string> _lines = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>No capabilities known (CAPA not sent yet, or refused).</summary>
    public static Pop3Capabilities None { get; } = new([]);

    public Pop3Capabilities(IEnumerable<string> lines)
    {
        foreach (var line in lines)
        {
            var space = line.IndexOf(' ', StringComparison.Ordinal);
            var name = space < 0 ? line : line[..space];
            var arguments = space < 0 ? string.Empty : line[(space + 1)..].Trim();
            _lines.TryAdd(name, arguments);
        }

        SaslMechanisms = _lines.TryGetValue("SASL", out var mechanisms)
            ? mechanisms.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(m => m.ToUpperInvariant()).ToArray()
            : [];
        if (_lines.TryGetValue("LOGIN-DELAY", out var delay))
        {
            var seconds = delay.Split(' ', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault();
            if (int.TryParse(seconds, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var value))
            {
                LoginDelay = TimeSpan.FromSeconds(value);
            }
        }
    }

    /// <summary>Capability names as announced.</summary>
    public IEnumerable<string> Names => _lines.Keys;

    /// <summary>The SASL mechanisms offered, upper case.</summary>
    public IReadOnlyList<string> SaslMechanisms { get; }

    /// <summary>The minimum time between logins the server announced, if any.</summary>
    public TimeSpan? LoginDelay { get; }

    public bool Pipelining => Has("PIPELINING");

    public bool StartTls => Has("STLS");

    public bool Top => Has("TOP");

    public bool Uidl => Has("UIDL");

    public bool User => Has("USER");

    public bool Has(string name) => _lines.ContainsKey(name);
}
