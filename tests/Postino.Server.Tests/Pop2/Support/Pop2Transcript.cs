using System.Globalization;
using System.Net;
using Postino.Server.Pop2;
using Postino.Server.Tests.Transcripts;
using Postino.Storage;

namespace Postino.Server.Tests.Pop2.Support;

/// <summary>
/// What a transcript's fixtures and expectations mean on POP2 (tests/transcripts/README.md): <c>@user</c>,
/// <c>@message</c>, <c>@folder</c>, <c>@locked</c>, <c>@remote</c>, <c>@option allow-plaintext</c>; after the session
/// <c>= remaining USER FOLDER N...|none</c> (the folder holds the messages declared as its Nth), <c>= retrieved USER
/// FOLDER N...|none</c> (these carry a first-retrieval time) and <c>= end NAME</c> (a Pop2SessionEnd). After the
/// session every folder named in the file must be free (no lock left behind).
/// </summary>
public sealed class Pop2Transcript
{
    private readonly List<Action<Pop2TestBed>> _bedSetup = [];
    private readonly List<Func<ITranscriptStore, Task>> _storeSetup = [];
    private readonly List<(string Folder, int[] Numbers)> _expectRemaining = [];
    private readonly List<(string Folder, int[] Numbers)> _expectRetrieved = [];
    private readonly Dictionary<string, List<byte[]>> _declared = new(StringComparer.Ordinal);
    private readonly HashSet<string> _folders = new(StringComparer.Ordinal) { "INBOX" };
    private string _user = "user";
    private Pop2SessionEnd? _end;

    private Pop2Transcript(Transcript transcript)
    {
        Name = transcript.Name;
        Input = transcript.ClientBytes;
        ExpectedOutput = transcript.ServerBytes;
    }

    public string Name { get; }

    public byte[] Input { get; }

    public byte[] ExpectedOutput { get; }

    public Pop2SessionEnd ExpectedEnd => _end ?? throw new InvalidDataException($"{Name}: no = end line");

    public static Pop2Transcript Load(string name)
    {
        var transcript = Transcript.Load("pop2", name);
        transcript.Require("user", "message", "folder", "locked", "remote", "option", "remaining", "retrieved", "end");
        var pop2 = new Pop2Transcript(transcript);
        foreach (var line in transcript.Fixtures.Concat(transcript.Expectations))
        {
            try
            {
                pop2.Add(line);
            }
            catch (Exception exception) when (exception is FormatException or ArgumentException or IndexOutOfRangeException)
            {
                throw new InvalidDataException($"{line.Where}: {exception.Message}", exception);
            }
        }

        return pop2;
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

    private void Add(TranscriptLine line)
    {
        switch (line.Name)
        {
            case "user":
                var (user, password) = (TranscriptText.Unescape(line.Word(0)), line.After(1));
                _user = user;
                _bedSetup.Add(bed => bed.Authenticator.AddUser(user, password));
                break;
            case "folder":
                var folder = line.After(1);
                _folders.Add(folder);
                _storeSetup.Add(store => store.AddFolderAsync(Owner(line), folder));
                break;
            case "message":
                AddMessage(Owner(line), line.Word(1), line.Content!);
                break;
            case "remote":
                var address = IPAddress.Parse(line.Word(0));
                _bedSetup.Add(bed => bed.Remote = new IPEndPoint(address, 40000));
                break;
            case "option" when line.Word(0) == "allow-plaintext":
                _bedSetup.Add(bed => bed.Options.AllowPlaintextFromUntrusted = true);
                break;
            case "locked":
                var locked = line.Word(1);
                _folders.Add(locked);
                _storeSetup.Add(store => store.LockAsync(Owner(line), locked));
                break;
            case "remaining":
                Owner(line);
                _expectRemaining.Add((line.Word(1), Numbers(line.Words)));
                break;
            case "retrieved":
                Owner(line);
                _expectRetrieved.Add((line.Word(1), Numbers(line.Words)));
                break;
            case "end":
                _end = Enum.Parse<Pop2SessionEnd>(line.Word(0), ignoreCase: true);
                break;
            default:
                throw line.Unknown();
        }
    }

    /// <summary>The user a line names, which must be the transcript's user (a POP2 session serves one).</summary>
    private string Owner(TranscriptLine line)
    {
        var owner = TranscriptText.Unescape(line.Word(0));
        return owner == _user ? owner : throw new FormatException($"{line.Where}: {owner} is not the transcript's user {_user}");
    }

    private void AddMessage(string owner, string folder, byte[] bytes)
    {
        if (!_declared.TryGetValue(folder, out var list))
        {
            list = [];
            _declared[folder] = list;
        }

        list.Add(bytes);
        _folders.Add(folder);
        _storeSetup.Add(store => store.AddMessageAsync(owner, folder, bytes));
    }

    private byte[] Declared(string folder, int number) => _declared[folder][number - 1];

    private int Number(string folder, byte[] bytes) =>
        _declared[folder].FindIndex(declared => declared.SequenceEqual(bytes)) + 1;

    /// <summary>"USER FOLDER N..." or "USER FOLDER none".</summary>
    private static int[] Numbers(IReadOnlyList<string> words) =>
        words.Count == 3 && words[2] == "none" ? [] : [.. words.Skip(2).Select(w => int.Parse(w, CultureInfo.InvariantCulture))];

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
