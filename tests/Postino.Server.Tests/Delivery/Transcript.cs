using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Postino.Server.Smtp;

namespace Postino.Server.Tests.Delivery;

/// <summary>
/// A protocol transcript: <c>C: </c> lines the client sends, <c>S: </c> lines the server must answer, and
/// <c>#</c> lines that are comments or directives: <c># set Option=value</c> (MaxBadCommands, MaxMessageSize,
/// MaxRecipients, UnknownRecipientPenalty as 0 or 1) and <c># deliveries: N</c>. In a C: line, <c>{x*600}</c> stands for 600 x's, a trailing
/// <c>&lt;LF&gt;</c> ends the line with a bare LF, a trailing <c>&lt;CR&gt;</c> with a bare CR, and a trailing
/// <c>&lt;NOEOL&gt;</c> sends no line end at all.
/// </summary>
internal sealed partial class Transcript
{
    private Transcript(string name)
    {
        Name = name;
    }

    public string Name { get; }

    public byte[] ClientBytes { get; private set; } = [];

    public string ExpectedServer { get; private set; } = string.Empty;

    public Dictionary<string, string> Settings { get; } = [];

    public int? ExpectedDeliveries { get; private set; }

    public static string Directory(string dialect) => Path.Combine(AppContext.BaseDirectory, "transcripts", dialect);

    public static IEnumerable<object[]> Cases(string dialect) =>
        from file in System.IO.Directory.GetFiles(Directory(dialect), "*.txt").Order(StringComparer.Ordinal)
        from chunk in new[] { 1, 2, 3, 7, 64, 512 }
        select new object[] { Path.GetFileNameWithoutExtension(file), chunk };

    public static Transcript Load(string dialect, string name)
    {
        var transcript = new Transcript(name);
        var client = new StringBuilder();
        var server = new StringBuilder();
        foreach (var line in File.ReadAllLines(Path.Combine(Directory(dialect), name + ".txt")))
        {
            if (line.StartsWith("C:", StringComparison.Ordinal))
            {
                client.Append(ClientLine(Content(line)));
            }
            else if (line.StartsWith("S:", StringComparison.Ordinal))
            {
                server.Append(Content(line)).Append("\r\n");
            }
            else if (line.StartsWith("# set ", StringComparison.Ordinal))
            {
                var setting = line["# set ".Length..].Split('=', 2);
                transcript.Settings[setting[0].Trim()] = setting[1].Trim();
            }
            else if (line.StartsWith("# deliveries:", StringComparison.Ordinal))
            {
                transcript.ExpectedDeliveries = int.Parse(line["# deliveries:".Length..].Trim(), CultureInfo.InvariantCulture);
            }
            else if (line.Length > 0 && !line.StartsWith('#'))
            {
                throw new InvalidDataException($"{name}: unexpected line '{line}'");
            }
        }

        transcript.ClientBytes = Encoding.UTF8.GetBytes(client.ToString());
        transcript.ExpectedServer = server.ToString();
        return transcript;
    }

    public void Apply(MailTransferOptions options)
    {
        foreach (var (key, value) in Settings)
        {
            var number = long.Parse(value, CultureInfo.InvariantCulture);
            switch (key)
            {
                case "MaxBadCommands":
                    options.MaxBadCommands = (int)number;
                    break;
                case "MaxMessageSize":
                    options.MaxMessageSize = number;
                    break;
                case "MaxRecipients":
                    options.MaxRecipients = (int)number;
                    break;
                case "UnknownRecipientPenalty":
                    options.UnknownRecipientPenalty = number != 0;
                    break;
                default:
                    throw new InvalidDataException($"{Name}: unknown setting {key}");
            }
        }
    }

    private static string Content(string line) => line.Length > 2 && line[2] == ' ' ? line[3..] : line[2..];

    private static string ClientLine(string content)
    {
        content = Repeat().Replace(content, m => new string(m.Groups[1].Value[0], int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture)));
        if (content.EndsWith("<NOEOL>", StringComparison.Ordinal))
        {
            return content[..^"<NOEOL>".Length];
        }

        if (content.EndsWith("<LF>", StringComparison.Ordinal))
        {
            return content[..^"<LF>".Length] + "\n";
        }

        if (content.EndsWith("<CR>", StringComparison.Ordinal))
        {
            return content[..^"<CR>".Length] + "\r";
        }

        return content + "\r\n";
    }

    [GeneratedRegex(@"\{(.)\*(\d+)\}")]
    private static partial Regex Repeat();
}
