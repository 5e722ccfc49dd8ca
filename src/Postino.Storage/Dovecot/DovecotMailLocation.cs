using System.Text;
using Postino.Storage.Users;

namespace Postino.Storage.Dovecot;

/// <summary>
/// Where Dovecot keeps a user's Maildir, from its <c>mail_location</c> (<c>maildir:PATH[:KEY=VALUE]...</c>): in PATH,
/// <c>~</c> is the user's home, <c>%u</c> (<c>%{user}</c>) the user name, <c>%n</c> (<c>%{username}</c>) its local
/// part, <c>%d</c> (<c>%{domain}</c>) its domain, <c>%h</c> (<c>%{home}</c>) the home, <c>%%</c> a percent sign, and an
/// <c>L</c> before a variable lower-cases it (<c>%Lu</c>). A relative path, and the default <c>ROOT/%u/Maildir</c>, are
/// taken under the mail root. <c>CONTROL=</c> moves the uidlist to another folder, as in Dovecot; other keys (INDEX,
/// LAYOUT, ...) do not change where messages and uidlists are. The home is the passwd-file's, else <c>ROOT/USER</c>.
/// </summary>
public sealed class DovecotMailLocation
{
    private readonly string _root;
    private readonly string _path;
    private readonly string? _control;

    private DovecotMailLocation(string root, string path, string? control)
    {
        _root = root;
        _path = path;
        _control = control;
    }

    /// <summary>The location for <c>--mail-root ROOT</c> and an optional <c>--mail-location</c>.</summary>
    /// <exception cref="FormatException">not a maildir: location, or an unknown variable.</exception>
    public static DovecotMailLocation Parse(string mailRoot, string? location)
    {
        var root = Path.GetFullPath(mailRoot);
        if (string.IsNullOrEmpty(location))
        {
            return new DovecotMailLocation(root, "%u/Maildir", null);
        }

        const string Scheme = "maildir:";
        if (!location.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase))
        {
            var colon = location.IndexOf(':', StringComparison.Ordinal);
            throw new FormatException(colon > 0
                ? $"only maildir: locations can be imported, not {location[..colon]}:"
                : "the location must be maildir:PATH, as in Dovecot's mail_location");
        }

        var fields = location[Scheme.Length..].Split(':');
        if (fields[0].Length == 0)
        {
            throw new FormatException("maildir: needs a path");
        }

        string? control = null;
        foreach (var field in fields.Skip(1))
        {
            if (field.StartsWith("CONTROL=", StringComparison.OrdinalIgnoreCase))
            {
                control = field["CONTROL=".Length..];
            }
        }

        var parsed = new DovecotMailLocation(root, fields[0], control);

        // Every variable is checked once now, so a typo fails before anything is imported.
        parsed.Expand(fields[0], "check@example.org", "/home/check");
        if (control is not null)
        {
            parsed.Expand(control, "check@example.org", "/home/check");
        }

        return parsed;
    }

    /// <summary>The user's Maildir (its INBOX).</summary>
    /// <exception cref="StorageException">a user name that is not safe in a path.</exception>
    public string MaildirOf(string user, string? home) => Expand(_path, user, HomeOf(user, home));

    /// <summary>The folder that holds the INBOX's <c>dovecot-uidlist</c>: the Maildir, or CONTROL= when set.</summary>
    public string ControlOf(string user, string? home) =>
        _control is null ? MaildirOf(user, home) : Expand(_control, user, HomeOf(user, home));

    private string HomeOf(string user, string? home) =>
        string.IsNullOrEmpty(home) ? Path.Combine(_root, user) : home;

    private string Expand(string template, string user, string home)
    {
        if (UserName.Problem(user) is { } problem)
        {
            throw new StorageException($"no mailbox for this name: {problem}") { IsTemporary = false };
        }

        var at = user.IndexOf('@', StringComparison.Ordinal);
        var result = new StringBuilder(template.Length + 32);
        var start = 0;
        if (template.StartsWith('~'))
        {
            result.Append(home);
            start = 1;
        }

        for (var i = start; i < template.Length; i++)
        {
            if (template[i] != '%')
            {
                result.Append(template[i]);
                continue;
            }

            if (++i == template.Length)
            {
                throw new FormatException("a % at the end of the location");
            }

            var lower = false;
            if (template[i] == 'L' && i + 1 < template.Length)
            {
                lower = true;
                i++;
            }

            string name;
            if (template[i] == '{')
            {
                var close = template.IndexOf('}', i);
                if (close < 0)
                {
                    throw new FormatException("a %{ without }");
                }

                name = template[(i + 1)..close];
                i = close;
            }
            else
            {
                name = template[i].ToString();
            }

            var value = name switch
            {
                "u" or "user" => user,
                "n" or "username" => at < 0 ? user : user[..at],
                "d" or "domain" => at < 0 ? string.Empty : user[(at + 1)..],
                "h" or "home" => home,
                "%" => "%",
                _ => throw new FormatException($"unknown variable %{name} in the location"),
            };
            result.Append(lower ? value.ToLowerInvariant() : value);
        }

        return Path.GetFullPath(result.ToString(), _root);
    }
}
