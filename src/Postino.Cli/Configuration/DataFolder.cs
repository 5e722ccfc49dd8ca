using Microsoft.Extensions.Configuration;
using Postino.Storage.Users;

namespace Postino.Cli.Configuration;

/// <summary>The data folder's layout: users file, mailboxes, certificates, spool.</summary>
internal sealed class DataFolder(string path)
{
    public const string DefaultUsersFile = "users";

    public string Path { get; } = System.IO.Path.GetFullPath(path);

    public string MailRoot => System.IO.Path.Combine(Path, "mail");

    public string TlsFolder => System.IO.Path.Combine(Path, "tls");

    public string SpoolFolder => System.IO.Path.Combine(Path, "spool");

    /// <summary>
    /// <c>--data-dir</c>, else the config's <c>DataDir</c> (relative to the config file's folder), else
    /// <c>./postino-data</c>.
    /// </summary>
    public static DataFolder Resolve(string? dataDirFlag, FileInfo? configFile, IConfiguration configuration)
    {
        if (!string.IsNullOrEmpty(dataDirFlag))
        {
            return new DataFolder(dataDirFlag);
        }

        if (configuration["DataDir"] is { Length: > 0 } configured)
        {
            return new DataFolder(System.IO.Path.Combine(configFile?.DirectoryName ?? ".", configured));
        }

        return new DataFolder(Commands.CommonOptions.DefaultDataDir);
    }

    /// <summary>The users file: the config's <c>Users:File</c> (relative to the data folder), else <c>DATA/users</c>.</summary>
    public string UsersFile(IConfiguration configuration) => System.IO.Path.Combine(
        Path, configuration["Users:File"] is { Length: > 0 } file ? file : DefaultUsersFile);

    /// <summary>Opens <see cref="UsersFile(IConfiguration)"/>; a malformed file is the operator's configuration problem.</summary>
    public async Task<UsersFile> OpenUsersFileAsync(IConfiguration configuration, CancellationToken cancellationToken)
    {
        try
        {
            return await Storage.Users.UsersFile.OpenAsync(UsersFile(configuration), cancellationToken: cancellationToken);
        }
        catch (UsersFileException exception)
        {
            throw new ConfigurationProblem($"Users:File: {exception.Message}");
        }
    }
}
