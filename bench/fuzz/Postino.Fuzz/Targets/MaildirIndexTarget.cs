using Postino.Storage.Maildir;

namespace Postino.Fuzz.Targets;

/// <summary>
/// The <c>postino-index</c> file, which anything with write access to the Maildir can damage: loading it never
/// throws (a bad file is reported as corrupt and rebuilt), and every line it accepts formats back to a line that
/// parses to the same entry.
/// </summary>
internal static class MaildirIndexTarget
{
    private static readonly string Folder = Directory.CreateTempSubdirectory("postino-fuzz-index-").FullName;

    public static void Run(byte[] input)
    {
        File.WriteAllBytes(Path.Combine(Folder, MaildirIndexFile.FileName), input);
        MaildirIndexFile.LoadAsync(Folder, CancellationToken.None).AsTask().GetAwaiter().GetResult();

        foreach (var line in System.Text.Encoding.UTF8.GetString(input).Split('\n'))
        {
            if (MaildirIndexFormat.TryParse(line) is not { } entry)
            {
                continue;
            }

            var again = MaildirIndexFormat.TryParse(MaildirIndexFormat.Format(entry));
            if (again != entry)
            {
                throw new InvalidOperationException($"Index line \"{line}\" does not survive format and parse: {entry} became {again}");
            }
        }
    }
}
