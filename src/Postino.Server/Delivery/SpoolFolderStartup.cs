using Microsoft.Extensions.Logging;
using Postino.Storage.Files;

namespace Postino.Server.Delivery;

/// <summary>
/// What <c>postino serve</c> does with its spool folder before it accepts a connection: makes sure it is private
/// (refusing to start otherwise) and removes the spool files a killed process left behind.
/// </summary>
public static class SpoolFolderStartup
{
    /// <returns>How many orphan files were removed.</returns>
    /// <exception cref="UnsafeFolderException">the folder is not private to the running user.</exception>
    public static int Prepare(string directory, ILogger logger)
    {
        PrivateFolder.Ensure(directory);
        var removed = 0;
        long octets = 0;
        foreach (var path in System.IO.Directory.EnumerateFiles(directory, FileMessageSpool.FilePrefix + "*"))
        {
            try
            {
                var size = new FileInfo(path).Length;
                File.Delete(path);
                removed++;
                octets += size;
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
            {
                logger.LogWarning("Cannot remove the orphan spool file {Path}: {Reason}", path, exception.Message);
            }
        }

        if (removed > 0)
        {
            logger.LogInformation("Removed {Count} orphan spool file(s), {Octets} octets, from {Directory}", removed, octets, directory);
        }

        return removed;
    }
}
