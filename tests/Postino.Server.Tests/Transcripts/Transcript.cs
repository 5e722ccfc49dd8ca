using System.Text;

namespace Postino.Server.Tests.Transcripts;

/// <summary>
/// A transcript file of any protocol (POP3, POP2, LMTP, SMTP), in the one format of tests/transcripts/README.md:
/// <c>C: </c> lines the client sends, <c>S: </c> lines the server must send byte for byte, <c>@</c> fixtures the
/// runner sets up before the session (a message's content follows its <c>@message</c> line as <c>| </c> lines),
/// <c>= </c> expectations it checks after, <c>#</c> comments. The loader knows the syntax; each protocol's runner
/// gives the fixtures and expectations their meaning and refuses any it does not know.
/// </summary>
public sealed class Transcript
{
    private Transcript(string name, string path)
    {
        Name = name;
        Path = path;
    }

    /// <summary>The four protocols' chunk sizes: client input is fed this many octets at a time.</summary>
    public static IReadOnlyList<int> ChunkSizes { get; } = [1, 2, 3, 7, 64, 512];

    /// <summary>The chunk sizes on a real store, where the point is the store rather than the parser.</summary>
    public static IReadOnlyList<int> StoreChunkSizes { get; } = [1, 512];

    public string Name { get; }

    public string Path { get; }

    /// <summary>The dialogue in order: (true, octets) for the client, (false, octets) for the server.</summary>
    public List<(bool FromClient, byte[] Bytes)> Dialogue { get; } = [];

    public List<TranscriptLine> Fixtures { get; } = [];

    public List<TranscriptLine> Expectations { get; } = [];

    public byte[] ClientBytes => [.. Dialogue.Where(d => d.FromClient).SelectMany(d => d.Bytes)];

    public byte[] ServerBytes => [.. Dialogue.Where(d => !d.FromClient).SelectMany(d => d.Bytes)];

    /// <summary>tests/transcripts/PROTOCOL as copied next to the tests.</summary>
    public static string Folder(string protocol) => System.IO.Path.Combine(AppContext.BaseDirectory, "transcripts", protocol);

    /// <summary>The transcript names of a protocol (file names without .txt), in order.</summary>
    public static IEnumerable<string> Names(string protocol) =>
        Directory.GetFiles(Folder(protocol), "*.txt").Order(StringComparer.Ordinal).Select(System.IO.Path.GetFileNameWithoutExtension)!;

    public static Transcript Load(string protocol, string name) =>
        Load(System.IO.Path.Combine(Folder(protocol), name + ".txt"));

    public static Transcript Load(string path)
    {
        var transcript = new Transcript(System.IO.Path.GetFileNameWithoutExtension(path), path);
        var lines = File.ReadAllLines(path, Encoding.UTF8);
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            var where = $"{path}:{i + 1}";
            if (line.StartsWith("C:", StringComparison.Ordinal))
            {
                transcript.Dialogue.Add((true, TranscriptText.ClientLine(Content(line))));
            }
            else if (line.StartsWith("S:", StringComparison.Ordinal))
            {
                transcript.Dialogue.Add((false, TranscriptText.ServerLine(Content(line))));
            }
            else if (line.StartsWith('@'))
            {
                var (name, rest) = Split(line[1..]);
                byte[]? content = null;
                if (name == "message")
                {
                    (content, i) = ReadContent(lines, i, TranscriptText.SplitWords(rest));
                }

                transcript.Fixtures.Add(new TranscriptLine(name, rest, content, where));
            }
            else if (line.StartsWith("= ", StringComparison.Ordinal))
            {
                var (name, rest) = Split(line[2..]);
                transcript.Expectations.Add(new TranscriptLine(name, rest, null, where));
            }
            else if (line.Length > 0 && !line.StartsWith('#'))
            {
                throw new FormatException($"{where}: not a C:, S:, @, = or # line: {line}");
            }
        }

        return transcript;
    }

    /// <summary>Throws unless every fixture and expectation is one of <paramref name="known"/>.</summary>
    public void Require(params string[] known)
    {
        foreach (var line in Fixtures.Concat(Expectations))
        {
            if (!known.Contains(line.Name, StringComparer.Ordinal))
            {
                throw line.Unknown();
            }
        }
    }

    public IEnumerable<TranscriptLine> FixturesNamed(string name) => Fixtures.Where(f => f.Name == name);

    public IEnumerable<TranscriptLine> ExpectationsNamed(string name) => Expectations.Where(e => e.Name == name);

    /// <summary>"C: text" or "C:text" or "C:" (an empty line): one space after the colon is not part of the line.</summary>
    private static string Content(string line) => line.Length > 2 && line[2] == ' ' ? line[3..] : line[2..];

    private static (string Name, string Text) Split(string text)
    {
        var space = text.IndexOf(' ', StringComparison.Ordinal);
        return space < 0 ? (text, string.Empty) : (text[..space], text[(space + 1)..]);
    }

    /// <summary>The "| " lines after an @message line: CRLF line ends, LF with the word lf, none after the last with noeol.</summary>
    private static (byte[] Content, int Last) ReadContent(string[] lines, int i, IReadOnlyList<string> words)
    {
        var newline = words.Contains("lf") ? "\n" : "\r\n";
        var content = new List<string>();
        while (i + 1 < lines.Length && lines[i + 1].StartsWith('|'))
        {
            i++;
            content.Add(lines[i].Length > 2 ? lines[i][2..] : string.Empty);
        }

        var text = string.Join(newline, content);
        if (content.Count > 0 && !words.Contains("noeol"))
        {
            text += newline;
        }

        return (TranscriptText.Decode(text), i);
    }
}
