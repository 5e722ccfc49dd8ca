using Microsoft.Extensions.Configuration;
using Postino.Storage.Postgres;

namespace Postino.Cli.Configuration;

/// <summary>
/// Which store <c>Store</c> (or <c>Store:Url</c>) names, without parsing a PostgreSQL connection string (that is
/// <see cref="StoreSettings"/>' part, with the password file).
/// </summary>
internal static class StoreLocation
{
    public const string Key = "Store";

    /// <summary>The Maildir root; null with <paramref name="postgres"/> set to the PostgreSQL URL or key=value text.</summary>
    public static string? MaildirRoot(IConfiguration configuration, DataFolder data, out string? postgres)
    {
        postgres = null;
        var value = configuration[Key] is { Length: > 0 } direct ? direct : configuration[$"{Key}:Url"];
        if (string.IsNullOrEmpty(value))
        {
            return data.MailRoot;
        }

        if (value.StartsWith("maildir:", StringComparison.OrdinalIgnoreCase))
        {
            var folder = value["maildir:".Length..];
            if (folder.Length == 0)
            {
                throw new ConfigurationProblem("Store: maildir: needs a folder (maildir:DIR)");
            }

            return Path.GetFullPath(folder, data.Path);
        }

        if (!PostgresConnectionString.IsPostgres(value))
        {
            throw new ConfigurationProblem("Store: expected maildir:DIR, a postgresql:// URL or a key=value connection string");
        }

        postgres = value;
        return null;
    }

    /// <summary>A <c>maildir:DIR</c> store other than the data folder's <c>mail/</c> holds <c>DIR/USER/Maildir</c>.</summary>
    public static string? MaildirTemplate(string root, DataFolder data) =>
        root == data.MailRoot ? null : Path.Combine(root, "%u", "Maildir");
}
