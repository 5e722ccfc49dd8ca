namespace Postino.Server.Tests.Delivery;

/// <summary>
/// A directory under the system temp folder, removed on dispose: private (0700) like the folders Postino makes, unless
/// another user's program (a private Postfix) must work in it.
/// </summary>
internal sealed class TempDirectory : IDisposable
{
    public TempDirectory(bool isPrivate = true)
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "postino-test-" + Guid.NewGuid().ToString("N"));
        if (isPrivate)
        {
            Storage.Files.PrivateFiles.CreateFolder(Path);
        }
        else
        {
            Directory.CreateDirectory(Path);
        }
    }

    public string Path { get; }

    public void Dispose()
    {
        if (Directory.Exists(Path))
        {
            Directory.Delete(Path, recursive: true);
        }
    }
}
