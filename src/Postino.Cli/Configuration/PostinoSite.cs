using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Postino.Storage;
using Postino.Storage.Maildir;
using Postino.Storage.Retention;
using Postino.Storage.Users;

namespace Postino.Cli.Configuration;

/// <summary>
/// What every command that touches mail needs, made once from the configuration: the data folder, the users file,
/// the Maildir store (with quotas and retention) and the retention resolver. <c>serve</c>, <c>deliver</c> and
/// <c>expire</c> all open the same site, so they agree on where mail lives.
/// </summary>
internal sealed class PostinoSite
{
    private PostinoSite(
        IConfiguration configuration, DataFolder data, UsersFile users, MaildirStore store, RetentionResolver retention, bool isEmbeddedDefault)
    {
        Configuration = configuration;
        Data = data;
        Users = users;
        Store = store;
        Retention = retention;
        IsEmbeddedDefault = isEmbeddedDefault;
    }

    public IConfiguration Configuration { get; }

    public DataFolder Data { get; }

    public UsersFile Users { get; }

    public MaildirStore Store { get; }

    public RetentionResolver Retention { get; }

    /// <summary>True when no config file was given: loopback listeners on unprivileged ports, a demo user.</summary>
    public bool IsEmbeddedDefault { get; }

    public string HostName => HostNameOf(Configuration);

    public static async Task<PostinoSite> OpenAsync(
        FileInfo? configFile,
        string? dataDirFlag,
        IReadOnlyDictionary<string, string?> overrides,
        ILoggerFactory loggers,
        TimeProvider time,
        CancellationToken cancellationToken)
    {
        var configuration = ConfigurationLoader.Load(configFile, overrides);
        var data = DataFolder.Resolve(dataDirFlag, configFile, configuration);
        Storage.Files.PrivateFiles.CreateFolder(data.Path);
        UsersFile users;
        try
        {
            users = await UsersFile.OpenAsync(data.UsersFile(configuration), cancellationToken: cancellationToken);
        }
        catch (UsersFileException exception)
        {
            throw new ConfigurationProblem($"Users:File: {exception.Message}");
        }

        var mail = ConfigurationLoader.Bind(configuration, "Mail", new MailSettings());
        var retentionOptions = RetentionSettings.Read(configuration);
        var retention = new RetentionResolver(retentionOptions, users, loggers.CreateLogger<RetentionResolver>());
        var store = new MaildirStore(
            new MaildirStoreOptions { DataDirectory = data.Path, LocationTemplate = mail.Location, HostName = HostNameOf(configuration) },
            users,
            new UserDirectoryQuotaSource(users, new MailboxQuota(mail.QuotaBytes, mail.QuotaMessages)),
            retention,
            time,
            loggers.CreateLogger<MaildirStore>());
        return new PostinoSite(configuration, data, users, store, retention, configFile is null);
    }

    /// <summary>One name for greetings, Received headers and new Maildir file names: Server:HostName, else the machine's.</summary>
    private static string HostNameOf(IConfiguration configuration) =>
        configuration["Server:HostName"] is { Length: > 0 } name ? name : LocalHostName.Default;
}

/// <summary>The <c>Mail</c> section: where Maildirs are and the server-wide quota.</summary>
internal sealed class MailSettings
{
    /// <summary>A Maildir location template (<c>%h/Maildir</c>, <c>/var/mail/%u</c>); default DATA/mail/USER/Maildir or HOME/Maildir.</summary>
    public string? Location { get; set; }

    /// <summary>Server default quota in bytes per mailbox (null or 0: unlimited); a user's own field wins.</summary>
    public long? QuotaBytes { get; set; }

    /// <summary>Server default quota in messages per mailbox (null or 0: unlimited).</summary>
    public long? QuotaMessages { get; set; }
}
