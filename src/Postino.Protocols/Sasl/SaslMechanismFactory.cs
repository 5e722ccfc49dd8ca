namespace Postino.Protocols.Sasl;

/// <summary>
/// The server's set of mechanisms: which ones a connection may see in CAPA/bare AUTH, and a fresh state machine for
/// "AUTH name". Built once per server; connection facts come in <see cref="SaslConnection"/>.
/// </summary>
public sealed class SaslMechanismFactory
{
    private readonly ICramMd5SecretSource? _cramSecrets;
    private readonly IScramCredentialSource? _scramCredentials;
    private readonly string _hostName;
    private readonly SaslAuthorizationPolicy _authorization;
    private readonly IReadOnlySet<string> _enabled;

    /// <param name="hostName">For CRAM-MD5 challenges.</param>
    /// <param name="cramSecrets">Enables CRAM-MD5 when given.</param>
    /// <param name="scramCredentials">Enables SCRAM-SHA-256 (and -PLUS on TLS) when given.</param>
    /// <param name="enabled">Restricts the mechanisms by name (case-insensitive); null = all that have their source.</param>
    /// <param name="authorization">Who may act as whom; default nobody.</param>
    public SaslMechanismFactory(
        string hostName,
        ICramMd5SecretSource? cramSecrets = null,
        IScramCredentialSource? scramCredentials = null,
        IEnumerable<string>? enabled = null,
        SaslAuthorizationPolicy? authorization = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(hostName);
        _hostName = hostName;
        _cramSecrets = cramSecrets;
        _scramCredentials = scramCredentials;
        _authorization = authorization ?? SaslAuthorization.SameUserOnly;
        _enabled = new HashSet<string>(
            enabled ?? [SaslMechanismNames.ScramSha256Plus, SaslMechanismNames.ScramSha256, SaslMechanismNames.CramMd5,
                SaslMechanismNames.Plain, SaslMechanismNames.Login],
            StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>The mechanisms this connection may use, strongest first (the order CAPA lists them in).</summary>
    public IReadOnlyList<string> Available(SaslConnection connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var names = new List<string>(5);
        if (_scramCredentials is not null)
        {
            if (connection.TlsServerEndPoint is not null)
            {
                Add(names, SaslMechanismNames.ScramSha256Plus);
            }

            Add(names, SaslMechanismNames.ScramSha256);
        }

        if (_cramSecrets is not null)
        {
            Add(names, SaslMechanismNames.CramMd5);
        }

        if (connection.PlaintextAllowed)
        {
            Add(names, SaslMechanismNames.Plain);
            Add(names, SaslMechanismNames.Login);
        }

        return names;
    }

    /// <summary>A new state machine for <paramref name="name"/> (case-insensitive), or null when not available here.</summary>
    public ISaslServerMechanism? Create(string name, SaslConnection connection, Func<string>? scramNonceFactory = null)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var available = Available(connection);
        var canonical = available.FirstOrDefault(n => string.Equals(n, name, StringComparison.OrdinalIgnoreCase));
        var scramOptions = new ScramOptions
        {
            TlsServerEndPoint = connection.TlsServerEndPoint,
            Authorization = _authorization,
            NonceFactory = scramNonceFactory,
        };
        return canonical switch
        {
            SaslMechanismNames.Plain => new PlainMechanism(connection.PasswordVerifier, _authorization),
            SaslMechanismNames.Login => new LoginMechanism(connection.PasswordVerifier),
            SaslMechanismNames.CramMd5 => new CramMd5Mechanism(_cramSecrets!, _hostName),
            SaslMechanismNames.ScramSha256 => new ScramSha256Mechanism(_scramCredentials!, plus: false, scramOptions),
            SaslMechanismNames.ScramSha256Plus => new ScramSha256Mechanism(_scramCredentials!, plus: true, scramOptions),
            _ => null,
        };
    }

    private void Add(List<string> names, string name)
    {
        if (_enabled.Contains(name))
        {
            names.Add(name);
        }
    }
}
