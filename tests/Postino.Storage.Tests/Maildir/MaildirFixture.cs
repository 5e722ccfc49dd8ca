using System.Text;
using Microsoft.Extensions.Time.Testing;
using Postino.Storage.Maildir;

namespace Postino.Storage.Tests.Maildir;

/// <summary>A data folder in a fresh temporary directory, a fake clock and a store on them; removed at dispose.</summary>
internal sealed class MaildirFixture : IDisposable
{
    public const string User = "alice";

    private readonly TempDirectory _data = new("postino-storage-");

    public MaildirFixture()
    {
        Options = new MaildirStoreOptions { DataDirectory = DataDirectory, HostName = "test.example" };
        Store = CreateStore();
    }

    public string DataDirectory => _data.Path;

    public MaildirStoreOptions Options { get; }

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 11, 1, 12, 0, 0, TimeSpan.Zero));

    public ListLogger<MaildirStore> Logger { get; } = new();

    public MaildirStore Store { get; private set; }

    public string Maildir => Path.Combine(DataDirectory, "mail", User, "Maildir");

    public string Cur => Path.Combine(Maildir, "cur");

    public string New => Path.Combine(Maildir, "new");

    public string Tmp => Path.Combine(Maildir, "tmp");

    public string IndexPath => Path.Combine(Maildir, MaildirIndexFile.FileName);

    /// <summary>A new store on the same folder, as after a server restart.</summary>
    public MaildirStore Restart(IMailboxQuotaSource? quotas = null, IRetentionAtCommit? retention = null)
    {
        Store = CreateStore(quotas, retention);
        return Store;
    }

    public async Task<DeliveryResult> DeliverAsync(string text, string user = User)
    {
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(text));
        return await Store.DeliverAsync(user, stream, CancellationToken.None);
    }

    public async Task<IReadOnlyList<MessageInfo>> SnapshotAsync()
    {
        await using var maildrop = await Store.OpenAsync(User, null, CancellationToken.None);
        return maildrop.Messages;
    }

    /// <summary>Puts a file into the Maildir as another delivery agent would.</summary>
    public string WriteForeign(string directory, string fileName, string content)
    {
        Directory.CreateDirectory(Path.Combine(Maildir, "tmp"));
        Directory.CreateDirectory(Path.Combine(Maildir, "new"));
        Directory.CreateDirectory(Path.Combine(Maildir, "cur"));
        var path = Path.Combine(Maildir, directory, fileName);
        File.WriteAllText(path, content);
        return path;
    }

    public static async Task<string> ReadAllAsync(IMaildrop maildrop, int index)
    {
        await using var stream = await maildrop.OpenMessageAsync(index, CancellationToken.None);
        using var reader = new StreamReader(stream);
        return await reader.ReadToEndAsync();
    }

    public void Dispose() => _data.Dispose();

    private MaildirStore CreateStore(IMailboxQuotaSource? quotas = null, IRetentionAtCommit? retention = null) =>
        new(Options, users: null, quotas, retention, Time, Logger);
}
