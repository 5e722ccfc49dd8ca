namespace Postino.Testing;

/// <summary>
/// A fresh folder under the system temp folder, removed on dispose: private (0700) like the folders Postino makes,
/// unless another user's program (a private Postfix) must work in it.
/// </summary>
public sealed class TempDirectory : IDisposable
{
    public TempDirectory(string prefix = "postino-test-", bool isPrivate = true)
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), prefix + Guid.NewGuid().ToString("N"));
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

    /// <summary>A path inside the folder.</summary>
    public string Combine(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
            // The test removed it itself.
        }
        catch (IOException)
        {
            // A leftover temporary folder does no harm to other tests.
        }
    }
}
