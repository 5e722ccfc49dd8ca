using System.Text;
using Postino.Storage;
using Postino.Storage.Files;
using Postino.Storage.Maildir;

namespace Postino.Server.Tests.Pop3;

/// <summary>
/// A POP3 transcript on the Maildir store in a temporary data folder. Messages are written as files another delivery
/// agent would leave in <c>new/</c>, with increasing delivery times in their names so message numbers follow the
/// transcript's order, and their declared UIDLs are given in the Maildir's <c>postino-uidls</c> file, as
/// <c>postino import</c> gives migrated messages their old UIDLs. "Another session" is a second store on the folder.
/// </summary>
public sealed class MaildirPop3Backend : RealStorePop3Backend
{
    private readonly TempDirectory _data = new("postino-pop3-");
    private readonly MaildirStore _store;
    private readonly MaildirStore _otherNode;
    private int _files;

    private MaildirPop3Backend(MemoryMailStore fake)
        : base(fake)
    {
        _store = new MaildirStore(new MaildirStoreOptions { DataDirectory = _data.Path, HostName = "test" });
        _otherNode = new MaildirStore(new MaildirStoreOptions { DataDirectory = _data.Path, HostName = "test" });
    }

    protected override IMailStore Inner => _store;

    protected override IMailStore OtherNode => _otherNode;

    public static async Task<MaildirPop3Backend> CreateAsync(MemoryMailStore fake)
    {
        var backend = new MaildirPop3Backend(fake);
        await backend.SeedAsync();
        return backend;
    }

    protected override async Task SeedAsync(string user, IReadOnlyList<MemoryMessage> messages)
    {
        var root = await _store.GetMaildirPathAsync(user, CancellationToken.None);
        foreach (var sub in new[] { "cur", "new", "tmp" })
        {
            Directory.CreateDirectory(Path.Combine(root, sub));
        }

        var uidls = new StringBuilder("postino-uidls 1\n");
        foreach (var message in messages)
        {
            var name = $"{1700000000 + _files}.M{_files}P1.transcript";
            _files++;
            await File.WriteAllBytesAsync(Path.Combine(root, "new", name), message.Bytes);
            uidls.Append(name).Append('\t').Append(message.Uidl).Append('\n');
        }

        await using var file = new FileStream(Path.Combine(root, "postino-uidls"), PrivateFiles.CreateNew());
        await file.WriteAsync(Encoding.UTF8.GetBytes(uidls.ToString()));
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        _data.Dispose();
    }
}
