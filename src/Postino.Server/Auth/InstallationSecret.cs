using System.Security.Cryptography;
using System.Text;
using Postino.Storage.Files;

namespace Postino.Server.Auth;

/// <summary>
/// One random key per installation, kept 0600 in the data folder (<c>installation-secret</c>), from which values that
/// must be stable across restarts yet unpredictable from outside are derived: the SCRAM salts Postino makes up (for
/// <c>{PLAIN}</c> users and unknown users alike, so the two cannot be told apart). Created at first use, atomically: two
/// processes starting at once agree on one key.
/// </summary>
public sealed class InstallationSecret
{
    public const string FileName = "installation-secret";
    private const int KeyLength = 32;

    private readonly byte[] _key;

    private InstallationSecret(byte[] key) => _key = key;

    /// <summary>A key for this process only (tests, and hosts that register none).</summary>
    public static InstallationSecret Ephemeral() => new(RandomNumberGenerator.GetBytes(KeyLength));

    /// <summary>Reads <c>DATA/installation-secret</c>, creating it first when it does not exist.</summary>
    /// <exception cref="IOException">it is unreadable, not a regular file, open to others, or of the wrong length.</exception>
    public static InstallationSecret LoadOrCreate(string dataFolder)
    {
        var path = Path.Combine(dataFolder, FileName);
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return new InstallationSecret(Read(path));
            }
            catch (FileNotFoundException) when (attempt == 0)
            {
                Create(dataFolder, path);
            }
        }
    }

    /// <summary>A 16-octet value bound to <paramref name="purpose"/> and <paramref name="name"/>.</summary>
    public byte[] Derive(string purpose, string name) =>
        HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes(purpose + "\0" + name))[..16];

    private static byte[] Read(string path)
    {
        using var file = PrivateFiles.OpenRead(path);
        if (!OperatingSystem.IsWindows() && (File.GetUnixFileMode(file.SafeFileHandle) & PrivateFiles.OpenToOthers) != 0)
        {
            throw new IOException($"{path} is readable by other users: make it 0600 (chmod 600)");
        }

        var key = new byte[KeyLength];
        var read = file.ReadAtLeast(key, KeyLength, throwOnEndOfStream: false);
        if (read != KeyLength || file.ReadByte() >= 0)
        {
            throw new IOException($"{path} is not a {KeyLength}-octet key: remove it to make a new one");
        }

        return key;
    }

    private static void Create(string dataFolder, string path)
    {
        PrivateFiles.CreateFolder(dataFolder);
        var temporary = Path.Combine(dataFolder, $".{FileName}.{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6))}.tmp");
        try
        {
            using (var file = new FileStream(temporary, PrivateFiles.CreateNew(FileAccess.Write, FileOptions.None)))
            {
                file.Write(RandomNumberGenerator.GetBytes(KeyLength));
                file.Flush(flushToDisk: true);
            }

            // Never over an existing key: the process that loses the race reads the winner's.
            PrivateFiles.TryPublishNew(temporary, path);
        }
        finally
        {
            File.Delete(temporary);
        }
    }
}
