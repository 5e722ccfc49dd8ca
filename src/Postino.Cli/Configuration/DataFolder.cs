namespace Postino.Cli.Configuration;

/// <summary>The data folder's layout: users file, mailboxes, certificates.</summary>
internal sealed class DataFolder(string path)
{
    public string Path { get; } = System.IO.Path.GetFullPath(path);

    public string UsersFile => System.IO.Path.Combine(Path, "users");

    public string MailRoot => System.IO.Path.Combine(Path, "mail");

    public string TlsFolder => System.IO.Path.Combine(Path, "tls");

    public static DataFolder From(Microsoft.Extensions.Configuration.IConfiguration configuration) =>
        new(configuration["DataDir"] is { Length: > 0 } dir ? dir : Commands.CommonOptions.DefaultDataDir);

    /// <summary>The users file: the config's Users:File (relative to the data folder), else DATA/users.</summary>
    public string UsersFileFrom(Microsoft.Extensions.Configuration.IConfiguration configuration) =>
        configuration["Users:File"] is { Length: > 0 } file ? System.IO.Path.Combine(Path, file) : UsersFile;
}
