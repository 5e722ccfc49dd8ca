using Postino.Storage.Files;
using Postino.Storage.Threading;
using Postino.Storage.Users.Schemes;

namespace Postino.Storage.Users;

/// <summary>
/// The users file (Dovecot passwd-file format) as the user directory. It is parsed whole when opened, which fails
/// with a <see cref="UsersFileException"/> naming the bad line; afterwards every lookup checks the file's modification
/// and creation time and size (one stat) and re-reads it when they changed, so edits by <c>postino user</c> or by hand apply
/// without a restart. A file that became malformed makes lookups fail (never a silent skip of the bad line).
/// Edits re-read the file under a lock file, change one line, and replace the file atomically, keeping comments,
/// blank lines and the text of untouched lines.
/// </summary>
public sealed class UsersFile : IUserStore
{
    private const int LockAttempts = 200;
    private static readonly TimeSpan LockRetry = TimeSpan.FromMilliseconds(50);

    private readonly PasswordSchemeRegistry schemes;
    private readonly SemaphoreSlim reloading = new(1, 1);
    private volatile Snapshot current = new(UsersFileContent.Empty, FileStamp.Missing);

    private UsersFile(string path, PasswordSchemeRegistry schemes)
    {
        FilePath = Path.GetFullPath(path);
        this.schemes = schemes;
    }

    /// <summary>The users file's full path.</summary>
    public string FilePath { get; }

    public string Location => FilePath;

    /// <summary>Opens and validates the users file (a missing file is an empty one, created by the first edit).</summary>
    public static async Task<UsersFile> OpenAsync(
        string path, PasswordSchemeRegistry? schemes = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var file = new UsersFile(path, schemes ?? PasswordSchemeRegistry.Default);
        await file.RefreshAsync(cancellationToken).ConfigureAwait(false);
        return file;
    }

    /// <summary>The user called exactly <paramref name="name"/>, or null; invalid names are never found.</summary>
    public async ValueTask<UserRecord?> FindAsync(string name, CancellationToken cancellationToken)
    {
        if (!UserName.IsValid(name))
        {
            return null;
        }

        // A stat of the file, and a parse when it changed: on a socket's event thread only a stat the kernel's caches
        // answer (the file was looked up lately); a parse always moves to the pool (RefreshAsync).
        if (OffEventLoop.IsEventThread && !CachedLookup.IsCached(FilePath))
        {
            await OffEventLoop.Yield();
        }

        var snapshot = await RefreshAsync(cancellationToken).ConfigureAwait(false);
        return snapshot.Content.Find(name);
    }

    /// <summary>All users, in file order.</summary>
    public async Task<IReadOnlyList<UserRecord>> ListAsync(CancellationToken cancellationToken)
    {
        var snapshot = await RefreshAsync(cancellationToken).ConfigureAwait(false);
        return snapshot.Content.Users.ToList();
    }

    /// <summary>Adds <paramref name="user"/>; false (and nothing written) when the name is taken.</summary>
    public Task<bool> AddAsync(UserRecord user, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        UserName.EnsureValid(user.Name);
        EnsurePasswordUsable(user);
        return EditAsync(content => content.Find(user.Name) is null ? content.With(user) : null, cancellationToken);
    }

    /// <summary>Replaces user <paramref name="name"/> by <paramref name="change"/> of it; false when there is none.</summary>
    public Task<bool> UpdateAsync(string name, Func<UserRecord, UserRecord> change, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(change);
        return EditAsync(
            content =>
            {
                if (content.Find(name) is not { } existing)
                {
                    return null;
                }

                var changed = change(existing);
                if (changed.Name != name)
                {
                    throw new ArgumentException("an update cannot rename the user", nameof(change));
                }

                EnsurePasswordUsable(changed);
                return content.With(changed);
            },
            cancellationToken);
    }

    /// <summary>Removes user <paramref name="name"/>; false when there is none.</summary>
    public Task<bool> RemoveAsync(string name, CancellationToken cancellationToken) =>
        EditAsync(content => content.Find(name) is null ? null : content.Without(name), cancellationToken);

    private void EnsurePasswordUsable(UserRecord user)
    {
        if (user.Password.Length > 0 && schemes.Validate(user.Password) is { } problem)
        {
            throw new ArgumentException($"user {user.Name}: {problem}", nameof(user));
        }
    }

    private async Task<bool> EditAsync(
        Func<UsersFileContent, UsersFileContent?> edit, CancellationToken cancellationToken)
    {
        await using var fileLock = await AcquireLockAsync(cancellationToken).ConfigureAwait(false);
        await reloading.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var snapshot = await ReadAsync(cancellationToken).ConfigureAwait(false);
            var edited = edit(snapshot.Content);
            if (edited is null)
            {
                current = snapshot;
                return false;
            }

            // Password hashes: the file keeps its permissions, a new one is 0600; the directory is fsynced after the rename.
            Files.PrivateFiles.CreateFolder(Path.GetDirectoryName(Path.GetFullPath(FilePath))!);
            await Files.DurableFiles.ReplaceAsync(FilePath, edited.ToBytes(), cancellationToken).ConfigureAwait(false);
            current = new Snapshot(edited, FileStamp.Of(FilePath));
            return true;
        }
        finally
        {
            reloading.Release();
        }
    }

    private async ValueTask<Snapshot> RefreshAsync(CancellationToken cancellationToken)
    {
        var snapshot = current;
        if (FileStamp.Of(FilePath) == snapshot.Stamp)
        {
            return snapshot;
        }

        await OffEventLoop.Yield();
        await reloading.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (FileStamp.Of(FilePath) != current.Stamp)
            {
                current = await ReadAsync(cancellationToken).ConfigureAwait(false);
            }

            return current;
        }
        finally
        {
            reloading.Release();
        }
    }

    private async Task<Snapshot> ReadAsync(CancellationToken cancellationToken)
    {
        // Stamp before reading: a change during the read makes the next lookup read again.
        var stamp = FileStamp.Of(FilePath);
        if (stamp == FileStamp.Missing)
        {
            return new Snapshot(UsersFileContent.Empty, stamp);
        }

        byte[] bytes;
        try
        {
            bytes = await File.ReadAllBytesAsync(FilePath, cancellationToken).ConfigureAwait(false);
        }
        catch (FileNotFoundException)
        {
            return new Snapshot(UsersFileContent.Empty, FileStamp.Missing);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UsersFileException($"{FilePath}: cannot read: {e.Message}", e);
        }

        return new Snapshot(UsersFileContent.Parse(FilePath, bytes, schemes), stamp);
    }

    private async Task<FileStream> AcquireLockAsync(CancellationToken cancellationToken)
    {
        var lockPath = FilePath + ".lock";
        Files.PrivateFiles.CreateFolder(Path.GetDirectoryName(lockPath)!);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                // FileShare.None is an exclusive advisory lock on Unix, released when the stream closes or the
                // process dies, so a crashed editor leaves no stale lock.
                // Opened without following a symlink, 0600.
                return Files.PrivateFiles.OpenExclusiveLock(lockPath);
            }
            catch (IOException) when (attempt < LockAttempts)
            {
                await Task.Delay(LockRetry, cancellationToken).ConfigureAwait(false);
            }
            catch (IOException e)
            {
                throw new UsersFileException($"{FilePath}: another process is editing the users file", e);
            }
        }
    }

    private sealed record Snapshot(UsersFileContent Content, FileStamp Stamp);

    // Creation time too: a file replaced by rename is a new file even when size and coarse mtime look the same.
    private readonly record struct FileStamp(DateTime LastWriteUtc, DateTime CreationUtc, long Length)
    {
        public static FileStamp Missing => default;

        public static FileStamp Of(string path)
        {
            var info = new FileInfo(path);
            return info.Exists ? new FileStamp(info.LastWriteTimeUtc, info.CreationTimeUtc, info.Length) : Missing;
        }
    }
}
