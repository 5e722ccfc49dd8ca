using System.Text;
using Postino.Storage.Users.Schemes;

namespace Postino.Storage.Users;

/// <summary>
/// A parsed users file: every line in order (comments and blank lines kept for rewriting) and the users by name.
/// Immutable; edits return a new content.
/// </summary>
internal sealed class UsersFileContent
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private readonly Dictionary<string, UserRecord> users;

    private UsersFileContent(IReadOnlyList<UsersFileLine> lines)
    {
        Lines = lines;
        users = new Dictionary<string, UserRecord>(StringComparer.Ordinal);
        foreach (var line in lines)
        {
            if (line.User is { } user)
            {
                users.Add(user.Name, user);
            }
        }
    }

    public static UsersFileContent Empty { get; } = new([]);

    public IReadOnlyList<UsersFileLine> Lines { get; }

    public IEnumerable<UserRecord> Users => Lines.Where(line => line.User is not null).Select(line => line.User!);

    /// <summary>Parses the file's bytes; any bad line throws <see cref="UsersFileException"/> naming it.</summary>
    public static UsersFileContent Parse(string path, ReadOnlySpan<byte> bytes, PasswordSchemeRegistry schemes)
    {
        if (bytes.StartsWith("\uFEFF"u8))
        {
            bytes = bytes[3..];
        }

        var lines = new List<UsersFileLine>();
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        var lineNumber = 0;
        while (!bytes.IsEmpty)
        {
            lineNumber++;
            var end = bytes.IndexOf((byte)'\n');
            var raw = end < 0 ? bytes : bytes[..end];
            bytes = end < 0 ? [] : bytes[(end + 1)..];
            if (raw.EndsWith("\r"u8))
            {
                raw = raw[..^1];
            }

            string text;
            try
            {
                text = StrictUtf8.GetString(raw);
            }
            catch (DecoderFallbackException)
            {
                throw new UsersFileException(path, lineNumber, "not valid UTF-8");
            }

            if (text.Trim().Length == 0 || text.StartsWith('#'))
            {
                lines.Add(new UsersFileLine(text, null));
                continue;
            }

            var user = UsersFileFormat.ParseUser(text, schemes, out var problem)
                ?? throw new UsersFileException(path, lineNumber, problem!);
            if (!seen.TryAdd(user.Name, lineNumber))
            {
                throw new UsersFileException(path, lineNumber, $"user {user.Name} is already on line {seen[user.Name]}");
            }

            lines.Add(new UsersFileLine(text, user));
        }

        return new UsersFileContent(lines);
    }

    public UserRecord? Find(string name) => users.GetValueOrDefault(name);

    /// <summary>The content with <paramref name="user"/> replacing the line of the same name, or appended.</summary>
    public UsersFileContent With(UserRecord user)
    {
        var line = new UsersFileLine(UsersFileFormat.Format(user), user);
        var lines = Lines.ToList();
        var index = lines.FindIndex(existing => existing.User?.Name == user.Name);
        if (index < 0)
        {
            lines.Add(line);
        }
        else
        {
            lines[index] = line;
        }

        return new UsersFileContent(lines);
    }

    /// <summary>The content without the line of user <paramref name="name"/>.</summary>
    public UsersFileContent Without(string name) =>
        new(Lines.Where(line => line.User?.Name != name).ToList());

    /// <summary>The file text: every line followed by LF, UTF-8 without a byte order mark.</summary>
    public byte[] ToBytes()
    {
        var text = new StringBuilder();
        foreach (var line in Lines)
        {
            text.Append(line.Text).Append('\n');
        }

        return StrictUtf8.GetBytes(text.ToString());
    }
}
