using System.Security.Cryptography;

namespace Postino.Storage.Users;

/// <summary>
/// Replaces a file so that readers see the old or the new content, never a mix, and a crash leaves one of them:
/// write a temporary file beside it, fsync it, rename it over the original.
/// </summary>
internal static class AtomicFileWriter
{
    private const UnixFileMode OwnerReadWrite = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    public static async Task WriteAsync(string path, ReadOnlyMemory<byte> content, CancellationToken cancellationToken)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        Files.PrivateFiles.CreateFolder(directory);
        var temporary = Path.Combine(
            directory, $".{Path.GetFileName(path)}.{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6))}.tmp");
        var options = new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.Write,
            Share = FileShare.None,
            Options = FileOptions.Asynchronous,
        };
        if (!OperatingSystem.IsWindows())
        {
            // Password hashes: keep the original's permissions, owner-only for a new file.
            options.UnixCreateMode = File.Exists(path) ? File.GetUnixFileMode(path) : OwnerReadWrite;
        }

        try
        {
            await using (var stream = new FileStream(temporary, options))
            {
                await stream.WriteAsync(content, cancellationToken).ConfigureAwait(false);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temporary, path, overwrite: true);
        }
        catch
        {
            File.Delete(temporary);
            throw;
        }
    }
}
