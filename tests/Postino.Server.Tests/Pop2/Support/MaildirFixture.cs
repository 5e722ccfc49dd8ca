using Postino.Storage.Maildir;

namespace Postino.Server.Tests.Pop2.Support;

/// <summary>A real Maildir store in a fresh temporary data folder, removed afterwards.</summary>
public sealed class MaildirFixture : IDisposable
{
    private readonly TempDirectory _data = new("postino-pop2-");
    private int _foreignFiles;

    public MaildirFixture()
    {
        Store = new MaildirStore(new MaildirStoreOptions { DataDirectory = DataDirectory, HostName = "test" });
    }

    public string DataDirectory => _data.Path;

    public MaildirStore Store { get; }

    public async Task DeliverAsync(string user, byte[] message)
    {
        await Store.DeliverAsync(user, new MemoryStream(message), CancellationToken.None);
    }

    /// <summary>Creates a Maildir++ subfolder (<c>.NAME</c>) holding the given messages, as another program would.</summary>
    public async Task CreateFolderAsync(string user, string folder, params byte[][] messages)
    {
        var root = await Store.GetMaildirPathAsync(user, CancellationToken.None);
        var path = Path.Combine(root, "." + folder);
        foreach (var sub in new[] { "cur", "new", "tmp" })
        {
            Directory.CreateDirectory(Path.Combine(path, sub));
        }

        foreach (var message in messages)
        {
            var name = $"{1700000000 + _foreignFiles}.M{_foreignFiles}P1.elsewhere";
            _foreignFiles++;
            await File.WriteAllBytesAsync(Path.Combine(path, "new", name), message);
        }
    }

    public async Task<int> CountAsync(string user, string? folder = null)
    {
        await using var maildrop = await Store.OpenAsync(user, folder, CancellationToken.None);
        return maildrop.Messages.Count;
    }

    public void Dispose() => _data.Dispose();
}
