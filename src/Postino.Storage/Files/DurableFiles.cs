using System.Runtime.InteropServices;

namespace Postino.Storage.Files;

/// <summary>
/// The durable-write toolkit every small file goes through (the users file, the Maildir index, fetch's state file):
/// replace a file so that readers see the old or the new content and a crash leaves one of them (temporary sibling,
/// fsync, rename over, fsync of the directory), and fsync a directory so that a rename or a new name survives a power
/// cut (.NET has no API for it).
/// </summary>
public static class DurableFiles
{
    /// <summary>O_DIRECTORY on macOS (Linux's value depends on the architecture: <see cref="UnixNative.ODirectory"/>).</summary>
    private const int MacODirectory = 0x100000;

    /// <summary>
    /// Tests only: sees each directory synced in the current async flow (an fsync leaves no other trace to check).
    /// </summary>
    internal static AsyncLocal<Action<string>?> SyncObserver { get; } = new();

    /// <summary>Flushes a directory's entries to disk. A no-op where the platform orders metadata itself (Windows).</summary>
    /// <exception cref="IOException">The directory cannot be opened or synced.</exception>
    public static void SyncDirectory(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        SyncObserver.Value?.Invoke(path);
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS())
        {
            return;
        }

        var flags = UnixNative.ORdOnly | (OperatingSystem.IsLinux() ? UnixNative.ODirectory | UnixNative.OCloExec : MacODirectory);
        var fd = UnixNative.Open(path, flags, 0);
        if (fd < 0)
        {
            throw new IOException($"cannot open directory {path} to sync it (errno {Marshal.GetLastPInvokeError()})");
        }

        try
        {
            if (UnixNative.FSync(fd) != 0)
            {
                throw new IOException($"fsync of directory {path} failed (errno {Marshal.GetLastPInvokeError()})");
            }
        }
        finally
        {
            _ = UnixNative.Close(fd);
        }
    }

    /// <summary>
    /// Replaces <paramref name="path"/> with <paramref name="content"/> atomically and durably: a temporary sibling
    /// (<c>.NAME.PID.RANDOM.tmp</c>) written and fsynced, renamed over the file, then the directory fsynced. The file
    /// keeps the permissions of the one it replaces (never read through a symlink), and a new file is 0600. The
    /// directory must exist. On failure the temporary file is removed and the old content stays.
    /// </summary>
    public static async Task ReplaceAsync(string path, ReadOnlyMemory<byte> content, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(path);
        var directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        var temporary = Path.Combine(directory, $".{Path.GetFileName(path)}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        var options = PrivateFiles.CreateNew();
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = ModeOfExisting(path) ?? PrivateFiles.FileMode;
        }

        try
        {
            await using (var stream = new FileStream(temporary, options))
            {
                await stream.WriteAsync(content, cancellationToken).ConfigureAwait(false);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temporary, path, overwrite: true);
            SyncDirectory(directory);
        }
        catch
        {
            TryDelete(temporary);
            throw;
        }
    }

    private static UnixFileMode? ModeOfExisting(string path)
    {
        if (UnixNative.IsSupported)
        {
            return UnixNative.StatNoFollow(path, out _) is { IsRegularFile: true } status ? status.Permissions : null;
        }

        return !OperatingSystem.IsWindows() && File.Exists(path) ? File.GetUnixFileMode(path) : null;
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            // A stale temporary file is harmless: it is never read, and the next write uses a new name.
        }
    }
}
