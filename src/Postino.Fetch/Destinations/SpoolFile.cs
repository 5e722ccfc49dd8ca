using Postino.Fetch.Durability;

namespace Postino.Fetch.Destinations;

/// <summary>A private temporary file holding one message until a destination takes it; deleted on dispose.</summary>
internal sealed class SpoolFile : IAsyncDisposable
{
    private SpoolFile(string path, FileStream stream)
    {
        Path = path;
        Stream = stream;
    }

    public string Path { get; }

    public FileStream Stream { get; }

    public static SpoolFile Create()
    {
        var folder = System.IO.Path.GetTempPath();
        Directory.CreateDirectory(folder);
        var path = System.IO.Path.Combine(folder, $"postino-fetch-{Guid.NewGuid():N}.spool");
        var stream = new FileStream(path, PrivateFile.Options(FileMode.CreateNew, FileAccess.ReadWrite, FileOptions.Asynchronous | FileOptions.DeleteOnClose));
        return new SpoolFile(path, stream);
    }

    /// <summary>Rewinds for reading after the content was written.</summary>
    public async Task RewindAsync(CancellationToken cancellationToken)
    {
        await Stream.FlushAsync(cancellationToken);
        Stream.Position = 0;
    }

    public ValueTask DisposeAsync() => Stream.DisposeAsync();
}
