using System.Globalization;
using System.Net;
using System.Text;
using Postino.Protocols.Pop2;
using Postino.Server.Pop2;
using Postino.Storage;

namespace Postino.Server.Tests.Pop2.Support;

/// <summary>
/// A POP2 transcript file: <c>C: </c> lines the client sends, <c>S: </c> lines the server must send (each with CRLF,
/// byte for byte, RETR data included), and <c>@</c> directives that set up the mailbox and state what must hold after
/// the session:
/// <code>
/// @user NAME PASSWORD            the account (messages below belong to it); NAME may escape a space as "\ "; the password is the rest of the line
/// @message FOLDER "text"         a stored message; escapes \r \n \t \\ \" \xNN
/// @folder FOLDER                 an empty folder (the rest of the line is its name)
/// @remote ADDRESS                the client's address (default 127.0.0.1)
/// @allow-plaintext               Pop2Options.AllowPlaintextFromUntrusted = true
/// @locked FOLDER                 another session holds the folder (released after the session)
/// @expect FOLDER N... | none     after the session, the folder holds the messages declared as its Nth (1-based)
/// @expect-retrieved FOLDER N... | none   and these carry a first-retrieval time
/// @end QUIT|PROTOCOLERROR|...    how the session must end (a Pop2SessionEnd name)
/// </code>
/// Lines starting with <c>#</c> are comments. After the session every folder named in the file must be free (no lock
/// left behind).
/// </summary>
public sealed class Pop2Transcript
{
    private readonly List<Action<Pop2TestBed>> _bedSetup = [];
    private readonly List<Func<ITranscriptStore, Task>> _storeSetup = [];
    private readonly List<(string Folder, int[] Numbers)> _expectRemaining = [];
    private readonly List<(string Folder, int[] Numbers)> _expectRetrieved = [];
    private readonly Dictionary<string, List<byte[]>> _declared = new(StringComparer.Ordinal);
    private readonly HashSet<string> _folders = new(StringComparer.Ordinal) { "INBOX" };
    private readonly MemoryStream _input = new();
    private readonly MemoryStream _output = new();
    private string _user = "user";
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
            catch (Exception exception) when (exception is FormatException or ArgumentException or IndexOutOfRangeException)
            {
                throw new InvalidDataException($"{path}:{number}: {exception.Message}", exception);
            }
        }

        return transcript;
    }

    public async Task ArrangeAsync(Pop2TestBed bed, ITranscriptStore store)
    {
        bed.MailStore = store.Store;
        foreach (var step in _bedSetup)
        {
            step(bed);
        }

        foreach (var step in _storeSetup)
        {
            await step(store);
        }
    }

    /// <summary>
    /// Reads a folder once the session has released it. A flock belongs to the open file description, which a child
    /// process that another test forks at that moment shares until its exec closes it: a lock the session did release
    /// can therefore stay visible for a few milliseconds on a loaded machine. A lock still held after 5 s was not
    /// released by the session.
    /// </summary>
    private static async Task<IReadOnlyList<(byte[] Bytes, bool Retrieved)>?> ReadReleasedAsync(ITranscriptStore store, string folder, string user)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(5);
        while (true)
        {
            try
            {
                return await store.ReadAsync(user, folder);
            }
            catch (MailboxInUseException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(20);
            }
            catch (MailboxInUseException)
            {
                return null;
            }
        }
    }

    /// <summary>Checks the store after the session; returns what is wrong, or nothing.</summary>
    public async Task<IReadOnlyList<string>> CheckStoreAsync(ITranscriptStore store)
    {
        var problems = new List<string>();
        await store.ReleaseOthersAsync();
        var contents = new Dictionary<string, IReadOnlyList<(byte[] Bytes, bool Retrieved)>>(StringComparer.Ordinal);
        foreach (var folder in _folders)
        {
            if (await ReadReleasedAsync(store, folder, _user) is { } read)
            {
                contents[folder] = read;
            }
            else
            {
                problems.Add($"the session left {folder} locked");
            }
        }

        foreach (var (folder, numbers) in _expectRemaining)
        {
            var expected = numbers.Select(n => Declared(folder, n)).ToList();
            var actual = contents.GetValueOrDefault(folder) ?? [];
            // Compared as a client receives them: a store may keep the wire form (PostgreSQL) rather than the bytes given.
            if (expected.Count != actual.Count || expected.Zip(actual).Any(pair => !Wire(pair.First).SequenceEqual(Wire(pair.Second.Bytes))))
            {
                problems.Add($"{folder}: expected messages [{string.Join(' ', numbers)}] to remain, found {actual.Count} messages");
            }
        }

        foreach (var (folder, numbers) in _expectRetrieved)
        {
            var retrieved = (contents.GetValueOrDefault(folder) ?? [])
                .Where(m => m.Retrieved)
                .Select(m => Number(folder, Unwire(folder, m.Bytes)))
                .ToArray();
            if (!retrieved.SequenceEqual(numbers))
            {
                problems.Add($"{folder}: expected [{string.Join(' ', numbers)}] retrieved, found [{string.Join(' ', retrieved)}]");
            }
        }

        return problems;
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
        var owner = _user;
        switch (name)
        {
            case "@user":
                var split = Pop2Escapes.IndexOfUnescapedSpace(rest);
                var (user, password) = (Pop2Escapes.Unescape(rest[..split]), rest[(split + 1)..]);
                _user = user;
                _bedSetup.Add(bed => bed.Authenticator.AddUser(user, password));
                break;
            case "@folder":
                _folders.Add(rest);
                _storeSetup.Add(store => store.AddFolderAsync(owner, rest));
                break;
            case "@message":
                AddMessage(words[0], Unquote(rest[(words[0].Length + 1)..]));
                break;
            case "@remote":
                var address = IPAddress.Parse(words[0]);
                _bedSetup.Add(bed => bed.Remote = new IPEndPoint(address, 40000));
                break;
            case "@allow-plaintext":
                _bedSetup.Add(bed => bed.Options.AllowPlaintextFromUntrusted = true);
                break;
            case "@locked":
                _folders.Add(words[0]);
                _storeSetup.Add(store => store.LockAsync(owner, words[0]));
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
        _folders.Add(folder);
        var owner = _user;
        _storeSetup.Add(store => store.AddMessageAsync(owner, folder, bytes));
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

    private static byte[] Wire(byte[] stored)
    {
        var encoder = new Postino.Protocols.Text.MessageEncoder(dotStuff: false);
        var output = new System.Buffers.ArrayBufferWriter<byte>();
        encoder.Encode(stored, output);
        encoder.Complete(output);
        return output.WrittenSpan.ToArray();
    }

    /// <summary>The declared message whose wire form <paramref name="bytes"/> is (bytes as they are when none is).</summary>
    private byte[] Unwire(string folder, byte[] bytes)
    {
        var wire = Wire(bytes);
        return _declared.GetValueOrDefault(folder)?.FirstOrDefault(d => Wire(d).SequenceEqual(wire)) ?? bytes;
    }
}
