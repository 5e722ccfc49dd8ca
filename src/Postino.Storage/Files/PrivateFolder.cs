namespace Postino.Storage.Files;

/// <summary>
/// A folder only the running user may use (the spool): created 0700 when missing, and refused when it is a symlink, is
/// not a folder, belongs to another user, or lets group or others in. A folder someone else made first in a shared
/// place would otherwise let them read every message spooled there, or swap one's content.
/// </summary>
public static class PrivateFolder
{
    /// <exception cref="UnsafeFolderException">the folder exists and is not private to this user.</exception>
    public static void Ensure(string path)
    {
        PrivateFiles.CreateFolder(path);
        Check(path);
    }

    /// <summary>Null when <paramref name="path"/> is a folder of the running user closed to others, else why not.</summary>
    public static string? Problem(string path)
    {
        if (!UnixNative.IsSupported)
        {
            return null;
        }

        var status = UnixNative.StatNoFollow(path, out var errno);
        if (status is not { } found)
        {
            return $"cannot read its status (errno {errno})";
        }

        if (found.IsSymbolicLink)
        {
            return "it is a symbolic link";
        }

        if (!found.IsDirectory)
        {
            return "it is not a folder";
        }

        var me = UnixNative.GetEffectiveUserId();
        if (found.OwnerId != me)
        {
            return $"it belongs to user id {found.OwnerId}, not to the running user ({me})";
        }

        if ((found.Permissions & PrivateFiles.OpenToOthers) != 0)
        {
            return $"its mode is {Convert.ToString((int)found.Permissions, 8).PadLeft(4, '0')}: group or others have access (needs 0700)";
        }

        return null;
    }

    /// <exception cref="UnsafeFolderException">see <see cref="Problem"/>.</exception>
    public static void Check(string path)
    {
        if (Problem(path) is { } problem)
        {
            throw new UnsafeFolderException(path, problem);
        }
    }
}

/// <summary>
/// A folder that must be private is not. An <see cref="IOException"/>, so paths that already turn I/O failures into a
/// temporary failure (451, exit 75) keep doing so; the commands turn it into a configuration error.
/// </summary>
public sealed class UnsafeFolderException(string path, string problem)
    : IOException($"refusing to use {path}: {problem}; it must be a folder owned by the running user with mode 0700")
{
    public string FolderPath { get; } = path;
}
