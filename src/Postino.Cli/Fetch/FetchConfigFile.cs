using System.Text.Json;
using System.Text.Json.Serialization;

namespace Postino.Cli.Fetch;

/// <summary>
/// The JSON file of <c>postino fetch --config FILE</c>: several accounts, each with its server, protocol, TLS mode,
/// credentials (a password, a password file or a password command), mode and destination.
/// </summary>
/// <example>
/// { "accounts": [ { "name": "work", "server": "pop.example.org", "protocol": "pop3", "tls": "implicit",
///   "user": "alice", "passwordCommand": "pass show mail/work", "mode": "keep-days", "keepDays": 14,
///   "destination": "maildir:~/Mail/work" } ] }
/// </example>
internal sealed class FetchConfigFile
{
    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        PropertyNameCaseInsensitive = true,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    };

    public List<AccountConfig> Accounts { get; init; } = [];

    /// <summary>Seconds between polls with <c>--daemon</c> when the command line does not say.</summary>
    public int? Interval { get; init; }

    public static FetchConfigFile? TryLoad(string path, out string? error)
    {
        error = null;
        try
        {
            var config = JsonSerializer.Deserialize<FetchConfigFile>(File.ReadAllText(path), JsonOptions);
            if (config is null || config.Accounts.Count == 0)
            {
                error = $"{path}: no accounts.";
                return null;
            }

            return config;
        }
        catch (JsonException exception)
        {
            error = $"{path}: {exception.Message}";
            return null;
        }
        catch (IOException exception)
        {
            error = $"{path}: {exception.Message}";
            return null;
        }
    }
}

/// <summary>One account of the config file.</summary>
internal sealed class AccountConfig
{
    public string? Name { get; init; }

    /// <summary>Instead of server/protocol/tls/user: an account URL (pop3://USER@HOST:PORT).</summary>
    public string? Url { get; init; }

    public string? Server { get; init; }

    public int? Port { get; init; }

    /// <summary><c>pop3</c> (default) or <c>pop2</c>.</summary>
    public string? Protocol { get; init; }

    /// <summary><c>auto</c> (default: STLS whenever offered), <c>none</c>, <c>starttls</c> (required) or <c>implicit</c>.</summary>
    public string? Tls { get; init; }

    public bool Insecure { get; init; }

    public string? Fingerprint { get; init; }

    public string? User { get; init; }

    public string? Password { get; init; }

    public string? PasswordFile { get; init; }

    /// <summary>A shell command whose first output line is the password.</summary>
    public string? PasswordCommand { get; init; }

    /// <summary><c>keep</c> (default), <c>delete</c> or <c>keep-days</c>.</summary>
    public string? Mode { get; init; }

    public int? KeepDays { get; init; }

    public string? Destination { get; init; }

    public string? Pop2Folder { get; init; }

    public string? State { get; init; }

    public long? MaxSize { get; init; }

    public int? Limit { get; init; }

    public bool All { get; init; }
}
