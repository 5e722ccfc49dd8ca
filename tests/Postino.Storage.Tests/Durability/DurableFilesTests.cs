using System.Runtime.Versioning;
using System.Text;
using Postino.Storage.Files;
using Postino.Storage.Tests.Users;
using Postino.Storage.Users;

namespace Postino.Storage.Tests.Durability;

/// <summary>The one durable-write toolkit (temporary sibling, fsync, rename, fsync of the directory) and its users.</summary>
[SupportedOSPlatform("linux")]
public sealed class DurableFilesTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task A_new_file_is_private_and_no_temporary_file_is_left()
    {
        var path = _directory.Combine("state");

        await DurableFiles.ReplaceAsync(path, "one"u8.ToArray(), CancellationToken.None);

        Assert.Equal("one", await File.ReadAllTextAsync(path));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        Assert.Equal([path], Directory.GetFiles(_directory.Path));
    }

    [Fact]
    public async Task A_replaced_file_keeps_its_permissions_and_its_directory_is_synced()
    {
        var path = _directory.Combine("state");
        await File.WriteAllTextAsync(path, "old");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead);
        var synced = ObserveSyncs();

        await DurableFiles.ReplaceAsync(path, "new"u8.ToArray(), CancellationToken.None);

        Assert.Equal("new", await File.ReadAllTextAsync(path));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead, File.GetUnixFileMode(path));
        Assert.Equal([_directory.Path], synced);
    }

    [Fact]
    public async Task A_failed_write_leaves_the_old_content_and_no_temporary_file()
    {
        var path = _directory.Combine("state");
        await File.WriteAllTextAsync(path, "old");

        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => DurableFiles.ReplaceAsync(path, "new"u8.ToArray(), new CancellationToken(canceled: true)));

        Assert.Equal("old", await File.ReadAllTextAsync(path));
        Assert.Equal([path], Directory.GetFiles(_directory.Path));
    }

    [Fact]
    public void Syncing_a_missing_directory_is_an_io_error()
    {
        Assert.Throws<IOException>(() => DurableFiles.SyncDirectory(_directory.Combine("missing")));
    }

    [Fact]
    public async Task Editing_the_users_file_syncs_its_directory_after_the_rename()
    {
        // Before issue 14 the users file was renamed into place without the directory fsync the Maildir index had.
        var path = _directory.Combine("users");
        await File.WriteAllTextAsync(path, "alice:{PLAIN}x\n", new UTF8Encoding(false));
        var file = await UsersFile.OpenAsync(path);
        var synced = ObserveSyncs();

        Assert.True(await file.AddAsync(UserRecord.Create("bob", "{PLAIN}y"), CancellationToken.None));

        Assert.Contains(_directory.Path, synced);
    }

    private static List<string> ObserveSyncs()
    {
        var synced = new List<string>();
        DurableFiles.SyncObserver.Value = synced.Add;
        return synced;
    }
}
