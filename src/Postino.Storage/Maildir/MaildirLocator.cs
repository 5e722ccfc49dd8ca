using System.Text;
using Postino.Storage.Users;

namespace Postino.Storage.Maildir;

/// <summary>
/// Finds a user's Maildir. With a template, <c>%u</c> is the user name, <c>%n</c> its local part (before '@'),
/// <c>%d</c> its domain (after '@', empty without one), <c>%h</c> the home from the users file and <c>%%</c> a percent
/// sign; a relative result is taken under the data folder. Without a template it is <c>HOME/Maildir</c> when the user
/// has a home, else <c>DATA/mail/USER/Maildir</c>.
/// </summary>
public sealed class MaildirLocator(MaildirStoreOptions options)
{
    /// <summary>The root of the user's Maildir (the INBOX).</summary>
    /// <exception cref="StorageException">the user name is not safe in a path, or the template needs a home the user lacks.</exception>
    public string Resolve(string user, string? home)
    {
        if (UserName.Problem(user) is { } problem)
        {
            throw new StorageException($"no mailbox for this name: {problem}") { IsTemporary = false };
        }

        home = string.IsNullOrEmpty(home) ? null : home;
        string location;
        if (options.LocationTemplate is { } template)
        {
            location = Expand(template, user, home);
        }
        else if (home is not null)
        {
            location = Path.Combine(home, "Maildir");
        }
        else
        {
            location = Path.Combine("mail", user, "Maildir");
        }

        return Path.GetFullPath(location, Path.GetFullPath(options.DataDirectory));
    }

    /// <summary>
    /// The directory of a folder inside a Maildir: the root for null or "INBOX" (any case), else the Maildir++
    /// subfolder <c>.NAME</c>; null when the name cannot be a folder (separators, dot segments, control characters).
    /// </summary>
    public static string? FolderPath(string maildir, string? folder)
    {
        if (folder is null || folder.Equals("INBOX", StringComparison.OrdinalIgnoreCase))
        {
            return maildir;
        }

        if (folder.Length is 0 or > 255
            || folder.StartsWith('.')
            || folder.EndsWith('.')
            || folder.Contains("..", StringComparison.Ordinal)
            || folder.Contains('/', StringComparison.Ordinal)
            || folder.Contains('\\', StringComparison.Ordinal)
            || folder.Any(char.IsControl))
        {
            return null;
        }

        return Path.Combine(maildir, "." + folder);
    }

    private static string Expand(string template, string user, string? home)
    {
        var at = user.IndexOf('@', StringComparison.Ordinal);
        var builder = new StringBuilder(template.Length + 32);
        for (var i = 0; i < template.Length; i++)
        {
            if (template[i] != '%' || i + 1 == template.Length)
            {
                builder.Append(template[i]);
                continue;
            }

            i++;
            builder.Append(template[i] switch
            {
                'u' => user,
                'n' => at < 0 ? user : user[..at],
                'd' => at < 0 ? "" : user[(at + 1)..],
                'h' => home ?? throw new StorageException("the mail location template needs a home the user does not have") { IsTemporary = false },
                '%' => "%",
                _ => throw new StorageException($"unknown %{template[i]} in the mail location template") { IsTemporary = false },
            });
        }

        return builder.ToString();
    }
}
