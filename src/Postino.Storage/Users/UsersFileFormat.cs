using System.Text;
using Postino.Storage.Users.Schemes;

namespace Postino.Storage.Users;

/// <summary>
/// Reads and writes single lines of a Dovecot passwd-file: <c>name:password:uid:gid:gecos:home:shell:extra</c>.
/// Trailing fields may be left out; everything after the seventh <c>:</c> is the extra fields (so their values may
/// contain <c>:</c>, as in <c>userdb_quota_rule=*:storage=1G</c>), separated by spaces.
/// </summary>
internal static class UsersFileFormat
{
    private const int FixedFields = 7;

    /// <summary>The user on <paramref name="line"/>, or the problem that makes the line unusable.</summary>
    public static UserRecord? ParseUser(string line, PasswordSchemeRegistry schemes, out string? problem)
    {
        var fields = line.Split(':', FixedFields + 1);
        var name = fields[0];
        if (fields.Length < 2)
        {
            problem = "expected name:password[:uid:gid:gecos:home:shell:extra]";
            return null;
        }

        if (UserName.Problem(name) is { } nameProblem)
        {
            problem = nameProblem;
            return null;
        }

        var password = fields[1];
        if (password.Length > 0 && schemes.Validate(password) is { } passwordProblem)
        {
            problem = $"user {name}: {passwordProblem}";
            return null;
        }

        string Field(int index) => index < fields.Length ? fields[index] : string.Empty;
        var extra = ParseExtra(Field(FixedFields), out problem);
        if (extra is null)
        {
            problem = $"user {name}: {problem}";
            return null;
        }

        if (!UserSettings.TryRead(extra, out _, out problem))
        {
            problem = $"user {name}: {problem}";
            return null;
        }

        return new UserRecord(name, password, Field(2), Field(3), Field(4), Field(5), Field(6), extra);
    }

    /// <summary>The passwd-file line for <paramref name="user"/>; throws when a field cannot be written.</summary>
    public static string Format(UserRecord user)
    {
        UserName.EnsureValid(user.Name);
        string[] fields = [user.Name, user.Password, user.Uid, user.Gid, user.Gecos, user.Home, user.Shell, FormatExtra(user.Extra)];
        for (var i = 1; i < FixedFields; i++)
        {
            if (fields[i].AsSpan().ContainsAny(":\r\n"))
            {
                throw new ArgumentException($"field {i + 1} of user {user.Name} contains ':' or a line break", nameof(user));
            }
        }

        var used = fields.Length;
        while (used > 2 && fields[used - 1].Length == 0)
        {
            used--;
        }

        return string.Join(':', fields, 0, used);
    }

    private static OrderedDictionary<string, string>? ParseExtra(string text, out string? problem)
    {
        problem = null;
        var extra = new OrderedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var token in text.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = token.IndexOf('=', StringComparison.Ordinal);
            var key = equals < 0 ? token : token[..equals];
            if (key.Length == 0)
            {
                problem = $"extra field '{token}' has no name";
                return null;
            }

            // Dovecot lets a later field override an earlier one of the same name.
            extra[key] = equals < 0 ? string.Empty : token[(equals + 1)..];
        }

        return extra;
    }

    private static string FormatExtra(IReadOnlyDictionary<string, string> extra)
    {
        var text = new StringBuilder();
        foreach (var (key, value) in extra)
        {
            if (key.Length == 0 || key.AsSpan().ContainsAny("= \t\r\n") || value.AsSpan().ContainsAny(" \t\r\n"))
            {
                throw new ArgumentException($"extra field '{key}={value}' cannot be written", nameof(extra));
            }

            text.Append(text.Length == 0 ? string.Empty : " ").Append(key);
            if (value.Length > 0)
            {
                text.Append('=').Append(value);
            }
        }

        return text.ToString();
    }
}
