using Postino.Storage.Maildir;

namespace Postino.Fuzz.Targets;

/// <summary>
/// The <c>postino-index</c> file, which anything with write access to the Maildir can damage: loading it never
/// throws (a bad file is reported as corrupt and rebuilt). The first octet chooses the form: even, the rest is the
/// file as it is (the text index of version 1, or anything); odd, the rest is a binary index body that gets a valid
/// checksum, so the fuzzer reaches the entry parser behind it. Whatever loads must write back and load again to the
/// same entries, and every text line accepted must format back to the same entry.
/// </summary>
internal static class MaildirIndexTarget
{
    private static readonly string Folder = Directory.CreateTempSubdirectory("postino-fuzz-index-").FullName;

    public static void Run(byte[] input)
    {
        if (input.Length == 0)
        {
            return;
        }

        var file = input[0] % 2 == 1 ? MaildirIndexBinary.Seal(input.AsSpan(1)) : input[1..];
        var load = Load(file);
        if (load.Entries.Count > 0)
        {
            var again = Load(MaildirIndexBinary.Write(load.Ordered, load.Stamps));
            if (!again.Ordered.SequenceEqual(load.Ordered))
            {
                throw new InvalidOperationException($"{load.Ordered.Count} entries did not survive write and load ({again.Problem})");
            }
        }

        foreach (var line in System.Text.Encoding.UTF8.GetString(file).Split('\n'))
        {
            if (MaildirIndexFormat.TryParse(line) is not { } entry)
            {
                continue;
            }

            var reparsed = MaildirIndexFormat.TryParse(MaildirIndexFormat.Format(entry));
            if (reparsed != entry)
            {
                throw new InvalidOperationException($"Index line \"{line}\" does not survive format and parse: {entry} became {reparsed}");
            }
        }
    }

    private static MaildirIndexLoad Load(byte[] file)
    {
        File.WriteAllBytes(Path.Combine(Folder, MaildirIndexFile.FileName), file);
        return MaildirIndexFile.LoadAsync(Folder, CancellationToken.None).AsTask().GetAwaiter().GetResult();
    }
}
