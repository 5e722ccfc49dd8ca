using System.Text;
using Postino.Fetch.Destinations;
using Postino.Fetch.Fetching;
using Postino.Fetch.Protocol;

namespace Postino.Cli.Fetch;

/// <summary>Turns the command line or the accounts file into <see cref="FetchAccount"/>s; reports errors, never throws.</summary>
internal static class AccountFactory
{
    public const string DefaultDestination = "maildir:~/Maildir";

    public static IReadOnlyList<FetchAccount>? TryCreate(FetchSettings settings, TimeProvider timeProvider, out string? error)
    {
        if ((settings.Url is null) == (settings.AccountsPath is null))
        {
            error = "Give either an account URL or --accounts FILE.";
            return null;
        }

        if (settings.AccountsPath is { } accountsPath)
        {
            if (FetchConfigFile.TryLoad(accountsPath, out error) is not { } config)
            {
                return null;
            }

            var accounts = new List<FetchAccount>();
            foreach (var (accountConfig, index) in config.Accounts.Select((a, i) => (a, i + 1)))
            {
                if (FromConfig(accountConfig, settings, timeProvider, out error) is not { } account)
                {
                    error = $"{accountsPath}, account {index}: {error}";
                    return null;
                }

                accounts.Add(account);
            }

            return accounts;
        }

        if (FetchUrl.TryParse(settings.Url!, out error) is not { } url)
        {
            return null;
        }

        if (settings.PasswordStdin && settings.PasswordFile is not null)
        {
            error = "Use either --password-stdin or --password-file.";
            return null;
        }

        var password = settings.PasswordFile is { } file ? PasswordSource.File(file)
            : settings.PasswordStdin ? PasswordSource.StandardInput()
            : null;
        if (password is null)
        {
            error = "No password: use --password-stdin or --password-file FILE (or an accounts file with a password command).";
            return null;
        }

        if (settings.StartTls && settings.NoTls)
        {
            error = "Use either --starttls or --no-tls.";
            return null;
        }

        var tls = OverrideTls(settings, url.Tls);
        return Build(url.Protocol, url.Host, url.Port, tls, url.User, password, settings.Mode ?? FetchMode.Keep, settings.KeepDays,
            settings.Destination, null, settings.StatePath, settings.Insecure, settings.Fingerprint, settings.MaxSize, settings.Limit,
            settings.All, null, timeProvider, out error) is { } single ? [single] : null;
    }

    private static FetchAccount? FromConfig(AccountConfig config, FetchSettings settings, TimeProvider timeProvider, out string? error)
    {
        MailProtocol protocol;
        TlsMode tls;
        string host;
        int port;
        string? user;
        if (config.Url is { } urlText)
        {
            if (FetchUrl.TryParse(urlText, out error) is not { } url)
            {
                return null;
            }

            (protocol, tls, host, port, user) = (url.Protocol, url.Tls, url.Host, url.Port, url.User);
        }
        else
        {
            protocol = config.Protocol?.ToLowerInvariant() switch
            {
                null or "pop3" => MailProtocol.Pop3,
                "pop2" => MailProtocol.Pop2,
                _ => (MailProtocol)(-1),
            };
            tls = config.Tls?.ToLowerInvariant() switch
            {
                null or "auto" => TlsMode.StartTlsIfOffered,
                "none" => TlsMode.None,
                "starttls" or "stls" => TlsMode.StartTls,
                "implicit" or "tls" or "ssl" => TlsMode.Implicit,
                _ => (TlsMode)(-1),
            };
            if (!Enum.IsDefined(protocol) || !Enum.IsDefined(tls))
            {
                error = "protocol must be pop3 or pop2, tls auto, none, starttls or implicit.";
                return null;
            }

            if (protocol == MailProtocol.Pop2 && tls == TlsMode.StartTlsIfOffered)
            {
                tls = TlsMode.None;
            }

            host = config.Server ?? string.Empty;
            port = config.Port ?? (protocol == MailProtocol.Pop2 ? 109 : tls == TlsMode.Implicit ? 995 : 110);
            user = config.User;
        }

        if (host.Length == 0 || string.IsNullOrEmpty(user))
        {
            error = "server and user (or url) are required.";
            return null;
        }

        Func<CancellationToken, Task<string>>? password = config.Password is { } fixedPassword ? PasswordSource.Fixed(fixedPassword)
            : config.PasswordFile is { } file ? PasswordSource.File(ExpandHome(file))
            : config.PasswordCommand is { } command ? PasswordSource.Command(command)
            : null;
        if (password is null)
        {
            error = "give password, passwordFile or passwordCommand.";
            return null;
        }

        FetchMode? mode = config.Mode?.ToLowerInvariant() switch
        {
            null or "keep" => FetchMode.Keep,
            "delete" => FetchMode.Delete,
            "keep-days" or "keepdays" => FetchMode.KeepDays,
            _ => null,
        };
        if (mode is null)
        {
            error = "mode must be keep, delete or keep-days.";
            return null;
        }

        var keepDays = settings.Mode is not null ? settings.KeepDays : config.KeepDays ?? 0;
        return Build(protocol, host, port, OverrideTls(settings, tls), user, password, settings.Mode ?? mode.Value, keepDays,
            settings.Destination ?? config.Destination, config.Pop2Folder, config.State is { } statePath ? ExpandHome(statePath) : null,
            settings.Insecure || config.Insecure,
            settings.Fingerprint ?? config.Fingerprint, settings.MaxSize ?? config.MaxSize, settings.Limit ?? config.Limit,
            settings.All || config.All, config.Name, timeProvider, out error);
    }

    private static FetchAccount? Build(MailProtocol protocol, string host, int port, TlsMode tls, string user,
        Func<CancellationToken, Task<string>> password, FetchMode mode, int keepDays, string? destinationSpec, string? pop2Folder,
        string? statePath, bool insecure, string? fingerprint, long? maxSize, int? limit, bool all, string? name,
        TimeProvider timeProvider, out string? error)
    {
        if (protocol == MailProtocol.Pop2 && tls == TlsMode.StartTls)
        {
            error = "POP2 has no STARTTLS.";
            return null;
        }

        if (mode == FetchMode.KeepDays && keepDays < 0)
        {
            error = "--keep-days needs a number of days >= 0.";
            return null;
        }

        try
        {
            fingerprint = TlsConnector.NormalizeFingerprint(fingerprint);
        }
        catch (ArgumentException exception)
        {
            error = exception.Message;
            return null;
        }

        if (DestinationSpec.TryCreate(destinationSpec ?? DefaultDestination, user, timeProvider, out error) is not { } destination)
        {
            return null;
        }

        return new FetchAccount
        {
            Name = name ?? $"{user}@{host}",
            Protocol = protocol,
            Host = host,
            Port = port,
            Tls = tls,
            TlsOptions = new TlsOptions { Insecure = insecure, Sha256Fingerprint = fingerprint },
            User = user,
            Password = password,
            Mode = mode,
            KeepDays = keepDays,
            All = all,
            MaxSize = maxSize,
            Limit = limit,
            Pop2Folder = pop2Folder,
            StatePath = statePath ?? DefaultStatePath(protocol, user, host, port),
            Destination = destination,
        };
    }

    /// <summary>
    /// <c>--starttls</c> makes STLS mandatory and <c>--no-tls</c> refuses it, on plain POP3 connections only:
    /// neither changes <c>pop3s://</c> (TLS from the first byte) or POP2 (no STARTTLS).
    /// </summary>
    private static TlsMode OverrideTls(FetchSettings settings, TlsMode tls) => tls switch
    {
        TlsMode.StartTlsIfOffered or TlsMode.None or TlsMode.StartTls when settings.StartTls => TlsMode.StartTls,
        TlsMode.StartTlsIfOffered or TlsMode.StartTls when settings.NoTls => TlsMode.None,
        _ => tls,
    };

    /// <summary>Expands a leading <c>~/</c> in paths from the config file (the shell does it on the command line).</summary>
    public static string ExpandHome(string path) =>
        path == "~" || path.StartsWith("~/", StringComparison.Ordinal)
            ? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), path.TrimStart('~').TrimStart('/'))
            : path;

    /// <summary><c>$XDG_STATE_HOME/postino/fetch/PROTO-USER@HOST-PORT.json</c> (default <c>~/.local/state</c>).</summary>
    public static string DefaultStatePath(MailProtocol protocol, string user, string host, int port)
    {
        var stateHome = Environment.GetEnvironmentVariable("XDG_STATE_HOME");
        if (string.IsNullOrEmpty(stateHome))
        {
            stateHome = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".local", "state");
        }

        var name = new StringBuilder();
        foreach (var c in $"{protocol.ToString().ToLowerInvariant()}-{user}@{host}-{port}")
        {
            name.Append(char.IsAsciiLetterOrDigit(c) || c is '@' or '.' or '-' or '_' ? c : '_');
        }

        return Path.Combine(stateHome, "postino", "fetch", name + ".json");
    }
}
