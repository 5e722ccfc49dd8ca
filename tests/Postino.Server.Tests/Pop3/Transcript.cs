using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Postino.Server.Auth;
using Postino.Storage;

namespace Postino.Server.Tests.Pop3;

/// <summary>
/// A POP3 transcript file: a setup section (options, users, mailbox contents), then the dialogue as "C: " and "S: "
/// lines, then "= " assertions about the store after the session. Lines get CRLF appended; in C:/S: lines "\xHH"
/// is a raw octet, "\\" a backslash and "{X*N}" the text X repeated N times. See tests/transcripts/pop3/README.md.
/// </summary>
public sealed partial class Transcript
{
    public required string Name { get; init; }

    public List<Action<Pop3TestHost>> Setup { get; } = [];

    /// <summary>The dialogue in order: (true, bytes) for the client, (false, bytes) for the server.</summary>
    public List<(bool FromClient, byte[] Bytes)> Dialogue { get; } = [];

    public List<Action<Pop3TestHost>> Assertions { get; } = [];

    public static Transcript Load(string path)
    {
        var transcript = new Transcript { Name = Path.GetFileNameWithoutExtension(path) };
        var lines = File.ReadAllLines(path, Encoding.UTF8);
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            if (line.StartsWith("C: ", StringComparison.Ordinal) || line == "C:")
            {
                transcript.Dialogue.Add((true, Decode(line.Length > 3 ? line[3..] : "")));
            }
            else if (line.StartsWith("S: ", StringComparison.Ordinal) || line == "S:")
            {
                transcript.Dialogue.Add((false, Decode(line.Length > 3 ? line[3..] : "")));
            }
            else if (line.StartsWith("= ", StringComparison.Ordinal))
            {
                transcript.Assertions.Add(ParseAssertion(line[2..], path, i + 1));
            }
            else if (line.StartsWith("message ", StringComparison.Ordinal))
            {
                i = ParseMessage(transcript, lines, i);
            }
            else if (line.Length > 0 && !line.StartsWith('#'))
            {
                transcript.Setup.Add(ParseSetup(line, path, i + 1));
            }
        }

        return transcript;
    }

    /// <summary>"message USER UIDL [lf] [noeol]" then "| " content lines.</summary>
    private static int ParseMessage(Transcript transcript, string[] lines, int i)
    {
        var words = lines[i].Split(' ');
        var (user, uidl) = (words[1], words[2]);
        var newline = words.Contains("lf") ? "\n" : "\r\n";
        var content = new StringBuilder();
        while (i + 1 < lines.Length && lines[i + 1].StartsWith('|'))
        {
            i++;
            content.Append(lines[i].Length > 2 ? lines[i][2..] : "").Append(newline);
        }

        var text = content.ToString();
        if (words.Contains("noeol"))
        {
            text = text[..^newline.Length];
        }

        var bytes = Decode(text, appendCrlf: false);
        transcript.Setup.Add(host => host.Store.Mailbox(user).Add(uidl, bytes));
        return i;
    }

    private static Action<Pop3TestHost> ParseSetup(string line, string path, int number)
    {
        var words = line.Split(' ', 3);
        return words[0] switch
        {
            "user" => host => host.AddUser(words[1], Expand(words[2])),
            "user-hashed" => host =>
            {
                host.Authenticator.Passwords[words[1]] = words[2];
                host.Directory.Add(words[1], "{SHA512-CRYPT}$6$notplain");
            }
            ,
            "login-outcome" => host => host.Authenticator.ForcedOutcomes[words[1]] = Enum.Parse<AuthenticationOutcome>(words[2]),
            "in-use" => host => host.Store.Mailbox(words[1]).IsLocked = true,
            "open-fails" => host => host.Store.Mailbox(words[1]).OpenFailure = Failure(words[2]),
            "commit-fails" => host => host.Store.Mailbox(words[1]).CommitFailure = Failure(words[2]),
            "option" => ParseOption(words[1], words.Length > 2 ? words[2] : null, path, number),
            _ => throw new FormatException($"{path}:{number}: unknown setup line: {line}"),
        };
    }

    private static Action<Pop3TestHost> ParseOption(string name, string? value, string path, int number) => name switch
    {
        "apop" => host => host.Options.EnableApop = true,
        "login-delay" => host => host.Options.LoginDelaySeconds = int.Parse(value!, CultureInfo.InvariantCulture),
        "max-bad-commands" => host => host.Options.MaxBadCommands = int.Parse(value!, CultureInfo.InvariantCulture),
        _ => throw new FormatException($"{path}:{number}: unknown option {name}"),
    };

    private static StorageException Failure(string kind) =>
        new("injected failure") { IsTemporary = kind != "perm" };

    /// <summary>"committed USER deleted=U1,U2 retrieved=U3" | "not-committed USER" | "messages USER N".</summary>
    private static Action<Pop3TestHost> ParseAssertion(string line, string path, int number)
    {
        var words = line.Split(' ');
        var user = words[1];
        switch (words[0])
        {
            case "not-committed":
                return host => Assert.Equal(0, host.Store.Mailbox(user).CommitCount);
            case "unlocked":
                return host => Assert.False(host.Store.Mailbox(user).IsLocked);
            case "committed":
                var deleted = Field(words, "deleted");
                var retrieved = Field(words, "retrieved");
                return host =>
                {
                    var mailbox = host.Store.Mailbox(user);
                    Assert.Equal(1, mailbox.CommitCount);
                    Assert.Equal(deleted, mailbox.DeletedUidls);
                    Assert.Equal(retrieved, mailbox.RetrievedUidls);
                };
            default:
                throw new FormatException($"{path}:{number}: unknown assertion {line}");
        }
    }

    private static string[] Field(string[] words, string name)
    {
        var word = words.FirstOrDefault(w => w.StartsWith(name + "=", StringComparison.Ordinal));
        return word is null || word.Length == name.Length + 1 ? [] : word[(name.Length + 1)..].Split(',');
    }

    private static string Expand(string text) =>
        Repeat().Replace(text, m => string.Concat(Enumerable.Repeat(m.Groups[1].Value, int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture))));

    private static byte[] Decode(string text, bool appendCrlf = true)
    {
        text = Expand(text);
        var bytes = new List<byte>();
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '\\' && i + 1 < text.Length && text[i + 1] == '\\')
            {
                bytes.Add((byte)'\\');
                i++;
            }
            else if (text[i] == '\\' && i + 3 < text.Length && text[i + 1] == 'x')
            {
                bytes.Add(byte.Parse(text.AsSpan(i + 2, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture));
                i += 3;
            }
            else
            {
                bytes.AddRange(Encoding.UTF8.GetBytes(text[i].ToString()));
            }
        }

        if (appendCrlf)
        {
            bytes.AddRange("\r\n"u8.ToArray());
        }

        return [.. bytes];
    }

    [GeneratedRegex(@"\{(.+?)\*(\d+)\}")]
    private static partial Regex Repeat();
}
