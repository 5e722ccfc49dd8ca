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

        Directory.CreateDirectory(Tmp);
        Directory.CreateDirectory(New);
        Directory.CreateDirectory(Cur);
        DirectorySync.Sync(Root);
        var parent = Path.GetDirectoryName(Root);
        if (parent is not null)
        {
            DirectorySync.Sync(parent);
        }
    }

    /// <summary>The message file names (not paths) in a directory, without the hidden ones other tools use for work.</summary>
    public static IEnumerable<string> ListMessages(string directory)
    {
        foreach (var path in Directory.EnumerateFiles(directory))
        {
            var name = Path.GetFileName(path);
            if (!name.StartsWith('.'))
            {
                yield return name;
            }
        }
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
