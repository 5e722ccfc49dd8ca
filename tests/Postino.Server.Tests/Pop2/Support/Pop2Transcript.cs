using System.Globalization;
using System.Net;
using System.Text;
using Postino.Server.Pop2;

namespace Postino.Server.Tests.Pop2.Support;

/// <summary>
/// A POP2 transcript file: <c>C: </c> lines the client sends, <c>S: </c> lines the server must send (each with CRLF,
/// byte for byte, RETR data included), and <c>@</c> directives that set up the mailbox and state what must hold after
/// the session:
/// <code>
/// @user NAME PASSWORD            the account (messages below belong to it); the password is the rest of the line
/// @message FOLDER "text"         a stored message; escapes \r \n \t \\ \" \xNN
/// @folder FOLDER                 an empty folder (the rest of the line is its name)
/// @remote ADDRESS                the client's address (default 127.0.0.1)
/// @allow-plaintext               Pop2Options.AllowPlaintextFromUntrusted = true
/// @locked FOLDER                 another session holds the folder
/// @expect FOLDER N... | none     after the session, the folder holds the messages declared as its Nth (1-based)
/// @expect-retrieved FOLDER N... | none   and these carry a first-retrieval time
/// @end QUIT|PROTOCOLERROR|...    how the session must end (a Pop2SessionEnd name)
/// </code>
/// Lines starting with <c>#</c> are comments.
/// </summary>
public sealed class Pop2Transcript
{
    private readonly List<Action<Pop2TestBed>> _setup = [];
    private readonly List<(string Folder, int[] Numbers)> _expectRemaining = [];
    private readonly List<(string Folder, int[] Numbers)> _expectRetrieved = [];
    private readonly Dictionary<string, List<byte[]>> _declared = new(StringComparer.Ordinal);
    private readonly MemoryStream _input = new();
    private readonly MemoryStream _output = new();
    private string _user = "user";
    private int _lockedByOthers;
    private Pop2SessionEnd? _end;

    public string Name { get; private init; } = string.Empty;

    public byte[] Input => _input.ToArray();

    public byte[] ExpectedOutput => _output.ToArray();

    public Pop2SessionEnd ExpectedEnd => _end ?? throw new InvalidDataException($"{Name}: no @end line");

    public static Pop2Transcript Load(string path)
    {
        var transcript = new Pop2Transcript { Name = Path.GetFileName(path) };
        var number = 0;
        foreach (var line in File.ReadAllLines(path, Encoding.UTF8))
        {
            number++;
            try
            {
                transcript.Add(line);
            }
            catch (Exception exception) when (exception is FormatException or ArgumentException)
            {
                throw new InvalidDataException($"{path}:{number}: {exception.Message}", exception);
            }
        }

        return transcript;
    }

    public void Arrange(Pop2TestBed bed)
    {
        foreach (var step in _setup)
        {
            step(bed);
        }
    }

    /// <summary>Checks the store after the session; returns what is wrong, or nothing.</summary>
    public IEnumerable<string> CheckStore(Pop2TestBed bed)
    {
        foreach (var (folder, numbers) in _expectRemaining)
        {
            var expected = numbers.Select(n => Declared(folder, n)).ToList();
            var actual = bed.Store.Messages(_user, folder).Select(m => m.Bytes).ToList();
            if (expected.Count != actual.Count || expected.Zip(actual).Any(pair => !pair.First.SequenceEqual(pair.Second)))
            {
                yield return $"{folder}: expected messages [{string.Join(' ', numbers)}] to remain, found {actual.Count} messages";
            }
        }

        foreach (var (folder, numbers) in _expectRetrieved)
        {
            var retrieved = bed.Store.Messages(_user, folder)
                .Where(m => m.FirstRetrievedAt is not null)
                .Select(m => Number(folder, m.Bytes))
                .ToArray();
            if (!retrieved.SequenceEqual(numbers))
            {
                yield return $"{folder}: expected [{string.Join(' ', numbers)}] retrieved, found [{string.Join(' ', retrieved)}]";
            }
        }

        if (bed.Store.LockCount != _lockedByOthers)
        {
            yield return $"{bed.Store.LockCount - _lockedByOthers} folder lock(s) left behind by the session";
        }
    }

    private void Add(string line)
    {
        if (line.Length == 0 || line.StartsWith('#'))
        {
            return;
        }

        if (line.StartsWith("C:", StringComparison.Ordinal))
        {
            _input.Write(Encoding.UTF8.GetBytes(Content(line) + "\r\n"));
        }
        else if (line.StartsWith("S:", StringComparison.Ordinal))
        {
            _output.Write(Encoding.UTF8.GetBytes(Content(line) + "\r\n"));
        }
        else if (line.StartsWith('@'))
        {
            AddDirective(line);
        }
        else
        {
            throw new FormatException($"unexpected line '{line}'");
        }
    }

    private void AddDirective(string line)
    {
        var space = line.IndexOf(' ', StringComparison.Ordinal);
        var name = space < 0 ? line : line[..space];
        var rest = space < 0 ? string.Empty : line[(space + 1)..];
        var words = rest.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        switch (name)
        {
            case "@user":
                var (user, password) = (words[0], rest[(words[0].Length + 1)..]);
                _user = user;
                _setup.Add(bed => bed.Authenticator.AddUser(user, password));
                break;
            case "@folder":
                var folder = rest;
                var owner = _user;
                _setup.Add(bed => bed.Store.AddFolder(owner, folder));
                break;
            case "@message":
                AddMessage(words[0], Unquote(rest[(words[0].Length + 1)..]));
                break;
            case "@remote":
                var address = IPAddress.Parse(words[0]);
                _setup.Add(bed => bed.Remote = new IPEndPoint(address, 40000));
                break;
            case "@allow-plaintext":
                _setup.Add(bed => bed.Options.AllowPlaintextFromUntrusted = true);
                break;
            case "@locked":
                var locked = words[0];
                var lockOwner = _user;
                _setup.Add(bed => bed.Store.Lock(lockOwner, locked));
                _lockedByOthers++;
                break;
            case "@expect":
                _expectRemaining.Add((words[0], Numbers(words)));
                break;
            case "@expect-retrieved":
                _expectRetrieved.Add((words[0], Numbers(words)));
                break;
            case "@end":
                _end = Enum.Parse<Pop2SessionEnd>(words[0], ignoreCase: true);
                break;
            default:
                throw new FormatException($"unknown directive {name}");
        }
    }

    private void AddMessage(string folder, byte[] bytes)
    {
        if (!_declared.TryGetValue(folder, out var list))
        {
            list = [];
            _declared[folder] = list;
        }

        list.Add(bytes);
        var owner = _user;
        _setup.Add(bed => bed.Store.AddMessage(owner, folder, bytes));
    }

    private byte[] Declared(string folder, int number) => _declared[folder][number - 1];

    private int Number(string folder, byte[] bytes) =>
        _declared[folder].FindIndex(declared => declared.SequenceEqual(bytes)) + 1;

    private static int[] Numbers(string[] words) =>
        words.Length == 2 && words[1] == "none" ? [] : [.. words.Skip(1).Select(w => int.Parse(w, CultureInfo.InvariantCulture))];

    private static string Content(string line) => line.Length <= 3 ? string.Empty : line[3..];

    private static byte[] Unquote(string quoted)
    {
        quoted = quoted.Trim();
        if (quoted.Length < 2 || quoted[0] != '"' || quoted[^1] != '"')
        {
            throw new FormatException("message text must be in double quotes");
        }

        var bytes = new List<byte>();
        var text = quoted[1..^1];
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] != '\\')
            {
                var plainEnd = text.IndexOf('\\', i);
                plainEnd = plainEnd < 0 ? text.Length : plainEnd;
                bytes.AddRange(Encoding.UTF8.GetBytes(text[i..plainEnd]));
                i = plainEnd - 1;
                continue;
            }

            var escape = text[++i];
            switch (escape)
            {
                case 'r': bytes.Add((byte)'\r'); break;
                case 'n': bytes.Add((byte)'\n'); break;
                case 't': bytes.Add((byte)'\t'); break;
                case 'x':
                    bytes.Add(byte.Parse(text.AsSpan(i + 1, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture));
                    i += 2;
                    break;
                default: bytes.Add((byte)escape); break;
            }
        }

        return [.. bytes];
    }
}
