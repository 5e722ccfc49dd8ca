using System.IO.Enumeration;

namespace Postino.Storage.Maildir;

/// <summary>The three directories of one Maildir folder (the root or a Maildir++ subfolder).</summary>
internal sealed record MaildirFolder(string Root)
{
    public string Tmp => Path.Combine(Root, "tmp");

    public string New => Path.Combine(Root, "new");

    public string Cur => Path.Combine(Root, "cur");

    public bool Exists => Directory.Exists(Cur) && Directory.Exists(New);

    /// <summary>Creates what is missing (a new user's first delivery or login), leaving what exists alone.</summary>
    public void Create()
    {
        if (Directory.Exists(Cur) && Directory.Exists(New) && Directory.Exists(Tmp))
        {
            return;
        }

        Files.PrivateFiles.CreateFolder(Tmp);
        Files.PrivateFiles.CreateFolder(New);
        Files.PrivateFiles.CreateFolder(Cur);
        Files.DurableFiles.SyncDirectory(Root);
        var parent = Path.GetDirectoryName(Root);
        if (parent is not null)
        {
            Files.DurableFiles.SyncDirectory(parent);
        }
    }

    /// <summary>
    /// The message file names (not paths) in a directory, without the hidden ones other tools use for work. Symlinks
    /// and names with control characters (a newline would break the index's lines) are not messages: they are passed to
    /// <paramref name="skipped"/> with the reason, and left where they are.
    /// </summary>
    public static IEnumerable<string> ListMessages(string directory, Action<string, string>? skipped = null) =>
        ListMessageEntries(directory, skipped).Select(static entry => entry.Name);

    /// <summary>
    /// <see cref="ListMessages"/> with each file's inode number (0 where the platform gives none), so that many files
    /// can be read in inode order. On Linux one getdents64 listing: no entry is stat'ed (the file types come with it).
    /// </summary>
    public static IEnumerable<(string Name, ulong Inode)> ListMessageEntries(string directory, Action<string, string>? skipped = null)
    {
        // cur/ or new/ replaced by a link to another folder: its files are not this mailbox's messages.
        if (new DirectoryInfo(directory).LinkTarget is not null)
        {
            skipped?.Invoke(Path.GetFileName(directory) + "/", "a symbolic link in place of the folder");
            return [];
        }

        return Files.DirectoryEntries.IsSupported ? FromEntries(directory, skipped) : FromEnumeration(directory, skipped);
    }

    private static IEnumerable<(string Name, ulong Inode)> FromEntries(string directory, Action<string, string>? skipped)
    {
        List<Files.DirectoryEntries.Entry> entries;
        try
        {
            entries = Files.DirectoryEntries.List(directory);
        }
        catch (IOException exception) when (exception.HResult == Files.UnixNative.ELOOP || new DirectoryInfo(directory).LinkTarget is not null)
        {
            // Swapped for a link since the check above.
            skipped?.Invoke(Path.GetFileName(directory) + "/", "a symbolic link in place of the folder");
            yield break;
        }
        catch (IOException exception) when (exception.HResult is Files.UnixNative.EACCES or Files.UnixNative.EPERM)
        {
            // As .NET's enumeration with IgnoreInaccessible: an unreadable folder lists nothing.
            yield break;
        }

        foreach (var entry in entries)
        {
            if (entry.Type != Files.DirectoryEntries.TypeDirectory && !entry.Name.StartsWith('.')
                && IsMessage(entry.Name, entry.Type == Files.DirectoryEntries.TypeLink, skipped))
            {
                yield return (entry.Name, entry.Inode);
            }
        }
    }

    /// <summary>The portable listing (.NET's enumeration, one stat per entry); internal for the tests that compare both.</summary>
    internal static IEnumerable<(string Name, ulong Inode)> FromEnumeration(string directory, Action<string, string>? skipped)
    {
        var entries = new FileSystemEnumerable<(string Name, bool IsLink)>(
            directory,
            static (ref FileSystemEntry entry) => (entry.FileName.ToString(), (entry.Attributes & FileAttributes.ReparsePoint) != 0),
            new EnumerationOptions { AttributesToSkip = 0, IgnoreInaccessible = true })
        {
            ShouldIncludePredicate = static (ref FileSystemEntry entry) => !entry.IsDirectory && !entry.FileName.StartsWith('.'),
        };
        foreach (var (name, isLink) in entries)
        {
            if (IsMessage(name, isLink, skipped))
            {
                yield return (name, 0);
            }
        }
    }

    /// <summary>
    /// The rule both listings apply to a file that is neither a folder nor a dot file: a link or a name with control
    /// characters is not a message (passed to <paramref name="skipped"/> with the reason).
    /// </summary>
    private static bool IsMessage(string name, bool isLink, Action<string, string>? skipped)
    {
        if (isLink)
        {
            skipped?.Invoke(name, "a symbolic link");
            return false;
        }

        if (name.Any(char.IsControl))
        {
            skipped?.Invoke(name, "control characters in its name");
            return false;
        }

        return true;
    }

    /// <summary>Finds the current file of a message whose flags another Maildir reader changed since the snapshot.</summary>
    public string? FindInCur(string baseName)
    {
        foreach (var path in Directory.EnumerateFiles(Cur, baseName + "*"))
        {
            var name = Path.GetFileName(path);
            if (MaildirFileName.Parse(name).BaseName == baseName)
            {
                return name;
            }
        }

        return null;
    }
}
