using System.Runtime.Versioning;
using Postino.Storage.Dovecot;
using Postino.Storage.Maildir;
using Postino.Storage.Users;

namespace Postino.Storage.Tests.Dovecot;

/// <summary>The importer against a Dovecot-shaped Maildir written by the test (the real Dovecot is in the interop tests).</summary>
[SupportedOSPlatform("linux")]
public sealed class DovecotImporterTests : IDisposable
{
    private const string User = "alice";
    private const string Old1 = "1796513538.M1P1.mx";
    private const string Old2 = "1796513539.M2P1.mx,S=20,W=21";
    private const string Unseen = "1796513540.M3P1.mx";

    private readonly string _root = Directory.CreateTempSubdirectory("postino-dovecot-import-").FullName;
    private readonly List<string> _warnings = [];

    public DovecotImporterTests()
    {
        var maildir = DovecotMaildir;
        foreach (var sub in new[] { "tmp", "new", "cur" })
        {
            Directory.CreateDirectory(Path.Combine(maildir, sub));
        }

        Write("cur", Old1 + ":2,S", "Subject: 1\n\none\n");
        Write("cur", Old2 + ":2,RS", "Subject: 2\n\ntwo\n");
        Write("new", Unseen, "Subject: 3\n\nthree\n");
        File.SetLastWriteTimeUtc(Path.Combine(maildir, "cur", Old1 + ":2,S"), new DateTime(2020, 1, 2, 3, 4, 5, DateTimeKind.Utc));
        File.WriteAllText(
            Path.Combine(maildir, DovecotUidList.FileName),
            $"3 V1796513540 N3 Gabc\n1 W17 :{Old1}:2,S\n2 P+saved-uidl :{Old2}\n");
        File.WriteAllText(Path.Combine(_root, "passwd"), $"{User}:{{PLAIN}}secret:1000:1000::/home/{User}::\n");
    }

    private string DovecotMaildir => Path.Combine(_root, "dovecot", User, "Maildir");

    private string DataDirectory => Path.Combine(_root, "data");

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public async Task Copies_users_and_messages_keeping_Dovecots_uidls_and_leaves_Dovecots_files_alone()
    {
        var before = Fingerprint(DovecotMaildir);
        var (store, users, report) = await ImportAsync(inPlace: false);

        Assert.True(report.UserAdded);
        Assert.Equal((3, 0, 0), (report.Imported, report.AlreadyThere, report.Skipped));
        Assert.Null(report.Problem);
        var user = await users.FindAsync(User, CancellationToken.None);
        Assert.Equal("{PLAIN}secret", user!.Password);
        Assert.Equal(string.Empty, user.Home);

        var uidls = await UidlsAsync(store);
        Assert.Equal("000000016b149f04", uidls[Old1]);
        Assert.Equal("+saved-uidl", uidls[Old2]);
        Assert.Equal("1796513540.M3P1.mx", uidls[Unseen]);
        Assert.Equal(before, Fingerprint(DovecotMaildir));

        var copied = Path.Combine(DataDirectory, "mail", User, "Maildir");
        Assert.True(File.Exists(Path.Combine(copied, "cur", Old2 + ":2,RS")));
        Assert.Equal(new DateTime(2020, 1, 2, 3, 4, 5, DateTimeKind.Utc), File.GetLastWriteTimeUtc(Path.Combine(copied, "cur", Old1 + ":2,S")));
        Assert.Equal(Files.PrivateFiles.FileMode, File.GetUnixFileMode(Path.Combine(copied, MaildirUidlOverrides.FileName)));
    }

    [Fact]
    public async Task A_second_run_imports_nothing_and_does_not_bring_back_what_the_client_deleted()
    {
        var (store, _, _) = await ImportAsync(inPlace: false);
        await using (var maildrop = await store.OpenAsync(User, null, CancellationToken.None))
        {
            maildrop.MarkDeleted(0);
            await maildrop.CommitAsync(CancellationToken.None);
        }

        var (_, _, again) = await ImportAsync(inPlace: false);

        Assert.False(again.UserAdded);
        Assert.Equal((0, 3), (again.Imported, again.AlreadyThere));
        Assert.Equal(2, (await UidlsAsync(store)).Count);
    }

    [Fact]
    public async Task New_deliveries_get_postinos_uidls_and_a_rebuilt_index_keeps_the_imported_ones()
    {
        var (store, _, _) = await ImportAsync(inPlace: false);
        using (var message = new MemoryStream("Subject: new\r\n\r\nnew\r\n"u8.ToArray()))
        {
            await store.DeliverAsync(User, message, CancellationToken.None);
        }

        var first = await UidlsAsync(store);
        File.Delete(Path.Combine(DataDirectory, "mail", User, "Maildir", MaildirIndexFile.FileName));
        var rebuilt = await UidlsAsync(store);

        Assert.Equal(4, first.Count);
        Assert.Equal(first, rebuilt);
        Assert.Single(first.Values, u => !u.StartsWith("0000", StringComparison.Ordinal) && !u.StartsWith('+') && u != Unseen);
    }

    [Fact]
    public async Task In_place_writes_only_postinos_own_files_in_the_Dovecot_maildir_and_serves_it_there()
    {
        var before = Fingerprint(DovecotMaildir);
        var (store, users, report) = await ImportAsync(inPlace: true);

        Assert.Equal(3, report.Imported);
        Assert.Null(report.Note);
        Assert.Equal(Path.Combine(_root, "dovecot", User), (await users.FindAsync(User, CancellationToken.None))!.Home);
        Assert.Equal(before, Fingerprint(DovecotMaildir));
        Assert.False(Directory.Exists(Path.Combine(DataDirectory, "mail")));
        var uidls = await UidlsAsync(store);
        Assert.Equal("000000016b149f04", uidls[Old1]);
        Assert.Equal("+saved-uidl", uidls[Old2]);
    }

    private async Task<(MaildirStore Store, UsersFile Users, DovecotImporter.UserReport Report)> ImportAsync(bool inPlace)
    {
        var users = await UsersFile.OpenAsync(Path.Combine(DataDirectory, "users"));
        var store = new MaildirStore(new MaildirStoreOptions { DataDirectory = DataDirectory }, users);
        var source = (await (await UsersFile.OpenAsync(Path.Combine(_root, "passwd"))).ListAsync(CancellationToken.None)).Single();

        // The passwd-file's home is not where this Maildir is: the location names it, as --mail-location does.
        var location = DovecotMailLocation.Parse(Path.Combine(_root, "dovecot"), inPlace ? null : "maildir:%u/Maildir");
        var importer = new DovecotImporter(store, users, location, DovecotUidlFormat.Default, inPlace, _warnings.Add);
        var report = await importer.ImportUserAsync(source with { Home = inPlace ? string.Empty : source.Home }, null, CancellationToken.None);
        return (store, users, report);
    }

    private static async Task<Dictionary<string, string>> UidlsAsync(MaildirStore store)
    {
        await using var maildrop = await store.OpenAsync(User, null, CancellationToken.None);
        return maildrop.Messages.ToDictionary(m => m.StorageId, m => m.Uidl);
    }

    /// <summary>Every file of the Dovecot Maildir except Postino's own, with its content and time.</summary>
    private static string Fingerprint(string maildir) => string.Join('\n', Directory
        .GetFiles(maildir, "*", SearchOption.AllDirectories)
        .Where(f => !Path.GetFileName(f).StartsWith("postino-", StringComparison.Ordinal))
        .Order(StringComparer.Ordinal)
        .Select(f => $"{f} {File.ReadAllText(f).GetHashCode(StringComparison.Ordinal)} {File.GetLastWriteTimeUtc(f):O}"));

    private void Write(string directory, string name, string content) =>
        File.WriteAllText(Path.Combine(DovecotMaildir, directory, name), content);
}
