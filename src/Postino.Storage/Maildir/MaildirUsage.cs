namespace Postino.Storage.Maildir;

/// <summary>
/// How much a Maildir folder holds, for quota checks: message count, and bytes as stored (from <c>,S=</c> in the name,
/// else the file's length from a stat, never by reading it).
/// </summary>
internal readonly record struct MaildirUsage(long Messages, long Bytes)
{
    public static MaildirUsage Zero => default;

    public static MaildirUsage Measure(MaildirFolder folder)
    {
        long messages = 0;
        long bytes = 0;
        foreach (var directory in new[] { folder.New, folder.Cur })
        {
            foreach (var file in new DirectoryInfo(directory).EnumerateFiles())
            {
                if (file.Name.StartsWith('.'))
                {
                    continue;
                }

                messages++;
                // Saturating: a foreign name claiming S=9223372036854775807 must not wrap the total below the quota.
                bytes = SaturatingSum.Add(bytes, MaildirFileName.Parse(file.Name).StoredSize ?? SafeLength(file));
            }
        }

        return new MaildirUsage(messages, bytes);
    }

    private static long SafeLength(FileInfo file)
    {
        try
        {
            return file.Length;
        }
        catch (FileNotFoundException)
        {
            return 0;
        }
    }
}
