using System.Globalization;
using Npgsql;

namespace Postino.Storage.Postgres;

/// <summary>
/// Turns a store URL into an Npgsql connection string: the libpq URI form
/// <c>postgresql://USER[:PASSWORD]@HOST[:PORT][,HOST2...]/DATABASE[?host=/socket/dir&amp;sslmode=...]</c> (also
/// <c>postgres://</c>), or an Npgsql <c>Key=Value;...</c> string as it is. A password absent from both comes from
/// <c>PGPASSWORD</c> or <c>~/.pgpass</c> (Npgsql reads them as libpq does) or from a password file.
/// </summary>
public static class PostgresConnectionString
{
    private static readonly Dictionary<string, string> UriParameters = new(StringComparer.Ordinal)
    {
        ["host"] = "Host",
        ["hostaddr"] = "Host",
        ["port"] = "Port",
        ["dbname"] = "Database",
        ["user"] = "Username",
        ["password"] = "Password",
        ["passfile"] = "Passfile",
        ["sslmode"] = "SSL Mode",
        ["sslrootcert"] = "Root Certificate",
        ["sslcert"] = "SSL Certificate",
        ["sslkey"] = "SSL Key",
        ["application_name"] = "Application Name",
        ["connect_timeout"] = "Timeout",
        ["target_session_attrs"] = "Target Session Attributes",
        ["options"] = "Options",
    };

    /// <summary>True for the URI forms and for anything that looks like a key=value connection string.</summary>
    public static bool IsPostgres(string store) =>
        store.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase)
        || store.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase)
        || (store.Contains('=', StringComparison.Ordinal) && !store.StartsWith("maildir:", StringComparison.OrdinalIgnoreCase));

    /// <summary>The Npgsql settings of <paramref name="store"/>; <paramref name="passwordFile"/>, when given, supplies a missing password.</summary>
    /// <exception cref="FormatException">the URL is malformed (the message never contains the password).</exception>
    public static NpgsqlConnectionStringBuilder Parse(string store, string? passwordFile = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(store);
        var builder = store.Contains("://", StringComparison.Ordinal) ? ParseUri(store) : ParseKeyValue(store);
        if (string.IsNullOrEmpty(builder.Password) && !string.IsNullOrEmpty(passwordFile))
        {
            builder.Password = ReadPasswordFile(passwordFile);
        }

        return builder;
    }

    /// <summary>Where the store is, for logs and errors: host, port, database and user, never the password.</summary>
    public static string Describe(NpgsqlConnectionStringBuilder builder) => string.Create(
        CultureInfo.InvariantCulture,
        $"postgresql://{builder.Username}@{builder.Host}:{builder.Port}/{builder.Database}");

    private static NpgsqlConnectionStringBuilder ParseKeyValue(string store)
    {
        try
        {
            return new NpgsqlConnectionStringBuilder(store);
        }
        catch (ArgumentException exception)
        {
            throw new FormatException($"not a PostgreSQL connection string: {exception.Message}");
        }
    }

    private static NpgsqlConnectionStringBuilder ParseUri(string store)
    {
        var scheme = store.IndexOf("://", StringComparison.Ordinal);
        if (store[..scheme].ToLowerInvariant() is not ("postgresql" or "postgres"))
        {
            throw new FormatException("a store URL starts with postgresql:// or postgres://");
        }

        var rest = store[(scheme + 3)..];
        var builder = new NpgsqlConnectionStringBuilder();
        var query = rest.IndexOf('?', StringComparison.Ordinal);
        var parameters = query < 0 ? string.Empty : rest[(query + 1)..];
        rest = query < 0 ? rest : rest[..query];
        var slash = rest.IndexOf('/', StringComparison.Ordinal);
        if (slash >= 0)
        {
            var database = Unescape(rest[(slash + 1)..]);
            if (database.Length > 0)
            {
                builder.Database = database;
            }

            rest = rest[..slash];
        }

        var at = rest.LastIndexOf('@');
        if (at >= 0)
        {
            var userInfo = rest[..at];
            rest = rest[(at + 1)..];
            var colon = userInfo.IndexOf(':', StringComparison.Ordinal);
            builder.Username = Unescape(colon < 0 ? userInfo : userInfo[..colon]);
            if (colon >= 0)
            {
                builder.Password = Unescape(userInfo[(colon + 1)..]);
            }
        }

        if (rest.Length > 0)
        {
            SetHosts(builder, rest);
        }

        foreach (var pair in parameters.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            var key = Unescape(equals < 0 ? pair : pair[..equals]);
            var value = equals < 0 ? string.Empty : Unescape(pair[(equals + 1)..]);
            if (!UriParameters.TryGetValue(key, out var npgsqlKey))
            {
                throw new FormatException($"unknown parameter {key} in the store URL (known: {string.Join(", ", UriParameters.Keys.Order(StringComparer.Ordinal))})");
            }

            builder[npgsqlKey] = npgsqlKey == "SSL Mode" ? SslMode(value) : value;
        }

        return builder;
    }

    /// <summary>libpq allows <c>host1:port1,host2:port2</c> and <c>[::1]:5432</c>; Npgsql takes the same list in Host.</summary>
    private static void SetHosts(NpgsqlConnectionStringBuilder builder, string hosts)
    {
        var list = new List<(string Host, int? Port)>();
        foreach (var entry in hosts.Split(','))
        {
            var host = entry;
            string? port = null;
            var close = host.LastIndexOf(']');
            var colon = host.LastIndexOf(':');
            if (colon > close && (host.StartsWith('[') || host.IndexOf(':', StringComparison.Ordinal) == colon))
            {
                port = host[(colon + 1)..];
                host = host[..colon];
            }

            host = Unescape(host.Trim('[', ']'));
            if (port is { Length: > 0 } && !int.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out _))
            {
                throw new FormatException($"bad port {port} in the store URL");
            }

            list.Add((host, port is { Length: > 0 } ? int.Parse(port, CultureInfo.InvariantCulture) : null));
        }

        if (list.Count == 1)
        {
            builder.Host = list[0].Host;
            if (list[0].Port is { } single)
            {
                builder.Port = single;
            }
        }
        else
        {
            builder.Host = string.Join(',', list.Select(h => h.Port is { } p ? string.Create(CultureInfo.InvariantCulture, $"{h.Host}:{p}") : h.Host));
        }
    }

    private static string SslMode(string value) => value switch
    {
        "disable" => "Disable",
        "allow" => "Allow",
        "prefer" => "Prefer",
        "require" => "Require",
        "verify-ca" => "VerifyCA",
        "verify-full" => "VerifyFull",
        _ => throw new FormatException($"unknown sslmode {value}"),
    };

    private static string ReadPasswordFile(string path)
    {
        try
        {
            return File.ReadLines(path).FirstOrDefault()?.TrimEnd('\r') ?? string.Empty;
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            throw new FormatException($"Store:PasswordFile: cannot read {path}: {exception.Message}");
        }
    }

    private static string Unescape(string text) => Uri.UnescapeDataString(text);
}
