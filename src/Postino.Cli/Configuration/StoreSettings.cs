using Microsoft.Extensions.Configuration;
using Postino.Storage.Postgres;

namespace Postino.Cli.Configuration;

/// <summary>
/// Where mail and users live: <c>--store URL</c>, else the configuration's <c>Store</c> (or <c>Store:Url</c>, for a
/// JSON file that also sets <c>Store:PasswordFile</c>), else the data folder's <c>mail/</c> as Maildirs.
/// <c>maildir:DIR</c> is a Maildir root; a <c>postgresql://</c> URL or an Npgsql <c>key=value</c> string is a
/// PostgreSQL database. The URL may carry a password; it is never logged or printed.
/// </summary>
internal sealed record StoreSettings(string? MaildirRoot, Npgsql.NpgsqlConnectionStringBuilder? Postgres)
{
    public const string Key = StoreLocation.Key;

    public bool IsPostgres => Postgres is not null;

    public static StoreSettings Read(IConfiguration configuration, DataFolder data)
    {
        if (StoreLocation.MaildirRoot(configuration, data, out var postgres) is { } maildirRoot)
        {
            return new StoreSettings(maildirRoot, null);
        }

        try
        {
            var passwordFile = configuration[$"{Key}:PasswordFile"] is { Length: > 0 } file ? Path.GetFullPath(file, data.Path) : null;
            return new StoreSettings(null, PostgresConnectionString.Parse(postgres!, passwordFile));
        }
        catch (FormatException exception)
        {
            // The parser's messages never quote the URL, so the password cannot leak through them.
            throw new ConfigurationProblem($"Store: {exception.Message}");
        }
    }
}
