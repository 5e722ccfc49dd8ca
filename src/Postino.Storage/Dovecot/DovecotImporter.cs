using Postino.Storage.Maildir;
using Postino.Storage.Users;

namespace Postino.Storage.Dovecot;

/// <summary>
/// <c>postino import dovecot</c>: moves users and Maildirs from Dovecot to a Postino Maildir store so that POP3 clients
/// keeping mail on the server fetch nothing again. Each user's line of the passwd-file is added to Postino's users with
/// its hash unchanged (a user Postino already has is left alone); each Maildir folder (the INBOX and its Maildir++
/// subfolders) is copied, file names (flags) and modification times kept, or with <c>in-place</c> left where it is; and
/// each message's Dovecot UIDL (its saved POP3 UIDL, else <c>pop3_uidl_format</c> of its UID and the folder's
/// UIDVALIDITY from <c>dovecot-uidlist</c>) goes into <c>postino-uidls</c> (<see cref="MaildirUidlOverrides"/>), which
/// Postino's index takes it from. Dovecot's files are only read. A folder is worked on under Postino's mailbox lock, so
/// no session indexes a message before its UIDL is recorded; a message already recorded is never imported again (even
/// when a client has since deleted it on Postino), so running the import again imports only what is new.
/// </summary>
public sealed class DovecotImporter(
    MaildirStore target,
    IUserStore targetUsers,
    DovecotMailLocation location,
    DovecotUidlFormat uidlFormat,
    bool inPlace,
    Action<string> warn)
{
    /// <summary>What happened to one user.</summary>
    public sealed record UserReport(
        string User, bool UserAdded, int Imported, long Bytes, int AlreadyThere, int Skipped, string? Note, string? Problem);

    /// <summary>Messages done of total in one folder.</summary>
    public sealed record Progress(string User, string Folder, int Done, int Total);

    /// <summary>Imports one user of the passwd-file.</summary>
    public async Task<UserReport> ImportUserAsync(UserRecord source, IProgress<Progress>? progress, CancellationToken cancellationToken)
    {
        var user = source.Name;
        string maildir;
        try
        {
            maildir = location.MaildirOf(user, source.Home);
        }
        catch (StorageException exception)
        {
            return new UserReport(user, false, 0, 0, 0, 0, null, exception.Message);
        }

        var added = await AddUserAsync(source, maildir, cancellationToken);
        var targetRoot = inPlace ? maildir : await target.GetMaildirPathAsync(user, cancellationToken);
        string? note = null;
        if (inPlace && await target.GetMaildirPathAsync(user, cancellationToken) != maildir)
        {
            note = $"Postino looks for this mailbox in {await target.GetMaildirPathAsync(user, cancellationToken)}, not in {maildir}: set Mail:Location";
        }

        if (!Directory.Exists(Path.Combine(maildir, "cur")))
        {
            return new UserReport(user, added, 0, 0, 0, 0, note ?? $"no Maildir at {maildir}", null);
        }

        var total = new FolderReport(0, 0, 0, 0);
        foreach (var (folder, sourcePath, controlPath) in FoldersOf(user, source.Home, maildir))
        {
            var targetPath = MaildirLocator.FolderPath(targetRoot, folder)!;
            var report = await ImportFolderAsync(user, folder, sourcePath, controlPath, targetPath, progress, cancellationToken);
            if (report is null)
            {
                return new UserReport(user, added, total.Imported, total.Bytes, total.AlreadyThere, total.Skipped, note,
                    "a Postino session holds the mailbox; run the import again later");
            }

            total = total.Add(report);
        }

        return new UserReport(user, added, total.Imported, total.Bytes, total.AlreadyThere, total.Skipped, note, null);
    }

    private async Task<bool> AddUserAsync(UserRecord source, string maildir, CancellationToken cancellationToken)
    {
        if (await targetUsers.FindAsync(source.Name, cancellationToken) is not null)
        {
            return false;
        }

        if (source.Password.Length > 0
            && (!Users.Schemes.PasswordSchemeRegistry.TrySplit(source.Password, out var scheme, out _)
                || !Users.Schemes.PasswordSchemeRegistry.Default.TryGet(scheme, out _)))
        {
            warn($"{source.Name}: the password's scheme is not one Postino knows; imported unchanged, the user cannot log in until it is reset (postino user passwd)");
        }

        // Only the name and the hash: Dovecot's uid, gid, shell and extra fields mean nothing to Postino, and its home
        // would move the mailbox, except in place, where Postino must find the Maildir where Dovecot kept it.
        var record = UserRecord.Create(source.Name, source.Password);
        if (inPlace && Path.GetFileName(maildir) == "Maildir")
        {
            record = record with { Home = Path.GetDirectoryName(maildir)! };
        }

        return await targetUsers.AddAsync(record, cancellationToken);
    }

    private IEnumerable<(string? Folder, string Source, string Control)> FoldersOf(string user, string? home, string maildir)
    {
        var control = location.ControlOf(user, home);
        yield return (null, maildir, control);
        foreach (var directory in Directory.GetDirectories(maildir, ".*").Order(StringComparer.Ordinal))
        {
            var name = Path.GetFileName(directory)[1..];
            if (MaildirLocator.FolderPath(maildir, name) is not null && Directory.Exists(Path.Combine(directory, "cur")))
            {
                yield return (name, directory, control == maildir ? directory : Path.Combine(control, "." + name));
            }
        }
    }

    /// <summary>Null when a session holds the target folder.</summary>
    private async Task<FolderReport?> ImportFolderAsync(
        string user,
        string? folder,
        string sourcePath,
        string controlPath,
        string targetPath,
        IProgress<Progress>? progress,
        CancellationToken cancellationToken)
    {
        var label = folder ?? "INBOX";
        var uidList = DovecotUidList.Load(
            Path.Combine(controlPath, DovecotUidList.FileName),
            (line, reason) => warn($"{user}/{label}: {DovecotUidList.FileName} line {line} skipped: {reason}"));
        if (uidList is null && !File.Exists(Path.Combine(controlPath, DovecotUidList.FileName)))
        {
            warn($"{user}/{label}: no {DovecotUidList.FileName}: its messages get Postino's UIDLs (clients that kept them fetch them again)");
        }

        var sourceFolder = new MaildirFolder(sourcePath);
        var targetFolder = new MaildirFolder(targetPath);
        if (!inPlace)
        {
            targetFolder.Create();
        }

        using var mailboxLock = target.TryLock(targetPath);
        if (mailboxLock is null)
        {
            return null;
        }

        var overrides = MaildirUidlOverrides.Load(targetPath, (line, reason) => warn($"{user}/{label}: {MaildirUidlOverrides.FileName} line {line}: {reason}"));
        var usedUidls = new HashSet<string>(overrides.Values, StringComparer.Ordinal);
        var present = inPlace ? null : BaseNames(targetFolder);
        var messages = Messages(sourceFolder, user, label)
            .OrderBy(m => uidList?.Records.GetValueOrDefault(m.BaseName)?.Uid ?? uint.MaxValue)
            .ThenBy(m => m.BaseName, StringComparer.Ordinal)
            .ToList();
        var report = new FolderReport(0, 0, 0, 0);
        var added = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var n = 0; n < messages.Count; n++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var (directory, fileName, baseName) = messages[n];
            if (overrides.ContainsKey(baseName))
            {
                report = report with { AlreadyThere = report.AlreadyThere + 1 };
            }
            else
            {
                var size = 0L;
                if (present is not null && !present.Contains(baseName))
                {
                    size = await CopyAsync(sourceFolder, directory, fileName, baseName, targetFolder, cancellationToken) ?? -1;
                }
                else if (inPlace)
                {
                    size = FileLength(Path.Combine(directory == "new" ? sourceFolder.New : sourceFolder.Cur, fileName));
                }

                if (size < 0)
                {
                    warn($"{user}/{label}: {fileName} vanished or is not a regular file; skipped");
                    report = report with { Skipped = report.Skipped + 1 };
                }
                else
                {
                    var uidl = UidlOf(uidList, baseName, usedUidls, user, label);
                    added[baseName] = uidl;
                    report = report with { Imported = report.Imported + 1, Bytes = report.Bytes + size };
                }
            }

            progress?.Report(new Progress(user, label, n + 1, messages.Count));
        }

        if (added.Count > 0)
        {
            if (!inPlace)
            {
                Files.DurableFiles.SyncDirectory(targetFolder.Cur);
                Files.DurableFiles.SyncDirectory(targetFolder.New);
            }

            // After the files (all under the lock): a crash in between leaves files whose UIDL the next run records.
            foreach (var (baseName, uidl) in overrides)
            {
                added.TryAdd(baseName, uidl);
            }

            await MaildirUidlOverrides.SaveAsync(targetPath, added, cancellationToken);
            await WarnIfIndexedAsync(targetPath, added, user, label, cancellationToken);
        }

        return report;
    }

    /// <summary>Dovecot's UIDL for the message, or Postino's own when Dovecot never gave it one (or gave a unusable one).</summary>
    private string UidlOf(DovecotUidList? uidList, string baseName, HashSet<string> usedUidls, string user, string label)
    {
        if (uidList is not null && uidList.Records.TryGetValue(baseName, out var record))
        {
            var uidl = uidlFormat.UidlOf(record, uidList.UidValidity);
            if (MaildirUidl.IsValid(uidl) && usedUidls.Add(uidl))
            {
                return uidl;
            }

            warn($"{user}/{label}: {baseName}: Dovecot's UIDL {uidl} is not usable (invalid or used twice); it gets Postino's own");
        }

        var own = MaildirUidl.FromBaseName(baseName);
        if (!usedUidls.Add(own))
        {
            own = MaildirUidl.Hashed(baseName);
            usedUidls.Add(own);
        }

        return own;
    }

    /// <summary>A message Postino had already indexed keeps the UIDL its index gave it: say so, it will look new to clients.</summary>
    private async Task WarnIfIndexedAsync(
        string targetPath, Dictionary<string, string> overrides, string user, string label, CancellationToken cancellationToken)
    {
        var index = await MaildirIndexFile.LoadAsync(targetPath, cancellationToken);
        var differing = index.Entries.Values.Count(e => overrides.TryGetValue(e.BaseName, out var uidl) && uidl != e.Uidl);
        if (differing > 0)
        {
            warn($"{user}/{label}: Postino had already served {differing} of these messages under its own UIDLs; they keep those");
        }
    }

    private IEnumerable<(string Directory, string FileName, string BaseName)> Messages(MaildirFolder folder, string user, string label)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var directory in new[] { "cur", "new" })
        {
            var path = directory == "cur" ? folder.Cur : folder.New;
            if (!Directory.Exists(path))
            {
                continue;
            }

            foreach (var fileName in MaildirFolder.ListMessages(path, (name, reason) => warn($"{user}/{label}: {directory}/{name} skipped: {reason}")))
            {
                var baseName = MaildirFileName.Parse(fileName).BaseName;
                if (!MaildirUidlOverrides.IsBaseName(baseName))
                {
                    warn($"{user}/{label}: {directory}/{fileName} skipped: not a Maildir message name");
                }
                else if (seen.Add(baseName))
                {
                    yield return (directory, fileName, baseName);
                }
            }
        }
    }

    private static HashSet<string> BaseNames(MaildirFolder folder)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var path in new[] { folder.Cur, folder.New })
        {
            foreach (var fileName in MaildirFolder.ListMessages(path))
            {
                names.Add(MaildirFileName.Parse(fileName).BaseName);
            }
        }

        return names;
    }

    /// <summary>
    /// Copies one message into the same subdirectory of the target under the same name (flags kept), through
    /// <c>tmp/</c> and with its modification time, fsynced before the rename. Dovecot may rename the file meanwhile (a
    /// flag change): it is looked for again by base name once. Returns the bytes copied, or null when it is gone.
    /// </summary>
    private static async Task<long?> CopyAsync(
        MaildirFolder source, string directory, string fileName, string baseName, MaildirFolder target, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < 2; attempt++)
        {
            var from = Path.Combine(directory == "new" ? source.New : source.Cur, fileName);
            FileStream input;
            try
            {
                input = Files.PrivateFiles.OpenRead(from);
            }
            catch (FileNotFoundException)
            {
                if (attempt == 0 && Relocate(source, baseName) is { } found)
                {
                    (directory, fileName) = found;
                    continue;
                }

                return null;
            }
            catch (IOException)
            {
                return null;
            }

            var temporary = Path.Combine(target.Tmp, $"{baseName}.import-{Guid.NewGuid():N}");
            try
            {
                long length;
                DateTime modified;
                await using (input)
                {
                    modified = File.GetLastWriteTimeUtc(input.SafeFileHandle);
                    await using var output = new FileStream(temporary, Files.PrivateFiles.CreateNew());
                    await input.CopyToAsync(output, cancellationToken);
                    output.Flush(flushToDisk: true);
                    length = output.Length;
                }

                File.SetLastWriteTimeUtc(temporary, modified);
                File.Move(temporary, Path.Combine(directory == "new" ? target.New : target.Cur, fileName), overwrite: false);
                return length;
            }
            catch
            {
                File.Delete(temporary);
                throw;
            }
        }

        return null;
    }

    private static (string Directory, string FileName)? Relocate(MaildirFolder folder, string baseName)
    {
        if (folder.FindInCur(baseName) is { } inCur)
        {
            return ("cur", inCur);
        }

        var inNew = Path.Combine(folder.New, baseName);
        return File.Exists(inNew) ? ("new", baseName) : null;
    }

    private static long FileLength(string path)
    {
        try
        {
            return new FileInfo(path).Length;
        }
        catch (IOException)
        {
            return -1;
        }
    }

    private sealed record FolderReport(int Imported, long Bytes, int AlreadyThere, int Skipped)
    {
        public FolderReport Add(FolderReport other) =>
            new(Imported + other.Imported, Bytes + other.Bytes, AlreadyThere + other.AlreadyThere, Skipped + other.Skipped);
    }
}
