namespace Postino.Server.Tests.Transcripts;

/// <summary>
/// A fixture (<c>@NAME ...</c>) or an expectation (<c>= NAME ...</c>) of a transcript: its words, the text after the
/// name (for arguments that may hold spaces), the octets of a message it carries, and where it stands in the file.
/// </summary>
public sealed record TranscriptLine(string Name, string Rest, byte[]? Content, string Where)
{
    /// <summary>The arguments split at spaces; a backslash-escaped space ("\ ") stays inside its word.</summary>
    public IReadOnlyList<string> Words => TranscriptText.SplitWords(Rest);

    public string Word(int index) =>
        index < Words.Count ? Words[index] : throw new FormatException($"{Where}: @{Name} needs at least {index + 1} arguments");

    /// <summary>The text after the first <paramref name="count"/> words (a password, a folder name with spaces).</summary>
    public string After(int count) => TranscriptText.After(Rest, count);

    /// <summary>The value of a "name=value" word, or null.</summary>
    public string? Field(string name) =>
        Words.FirstOrDefault(w => w.StartsWith(name + "=", StringComparison.Ordinal)) is { } word ? word[(name.Length + 1)..] : null;

    public FormatException Unknown() => new($"{Where}: unknown {Name} line for this protocol");
}
