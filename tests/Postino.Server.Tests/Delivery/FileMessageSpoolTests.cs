using Postino.Server.Delivery;
using Postino.Storage.Files;

namespace Postino.Server.Tests.Delivery;

[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class FileMessageSpoolTests
{
    [Fact]
    public async Task Reads_back_what_was_written_any_number_of_times_and_leaves_nothing_behind()
    {
        using var directory = new TempDirectory();
        var spool = new FileMessageSpool(Path.Combine(directory.Path, "spool"));

        await using (var message = await spool.CreateAsync(CancellationToken.None))
        {
            await message.WriteAsync("hello "u8.ToArray(), CancellationToken.None);
            await message.WriteAsync("world"u8.ToArray(), CancellationToken.None);
            Assert.Equal(11, message.Length);
            for (var i = 0; i < 2; i++)
            {
                await using var read = await message.OpenReadAsync(CancellationToken.None);
                using var text = new StreamReader(read);
                Assert.Equal("hello world", await text.ReadToEndAsync());
            }
        }

        Assert.Empty(Directory.GetFiles(spool.Directory));
    }

    [Fact]
    public async Task A_missing_spool_folder_is_created_0700()
    {
        using var directory = new TempDirectory();
        var spool = new FileMessageSpool(Path.Combine(directory.Path, "spool"));

        await using var message = await spool.CreateAsync(CancellationToken.None);

        Assert.Equal(PrivateFiles.FolderMode, File.GetUnixFileMode(spool.Directory));
    }

    [Fact]
    public async Task Content_cannot_be_read_or_swapped_by_name_between_spooling_and_delivery()
    {
        using var directory = new TempDirectory();
        var spool = new FileMessageSpool(Path.Combine(directory.Path, "spool"));
        await using var message = await spool.CreateAsync(CancellationToken.None);
        await message.WriteAsync("Subject: genuine\r\n\r\nreal\r\n"u8.ToArray(), CancellationToken.None);

        // What a local attacker with access to the folder did to the old /tmp spool: replace every file by name.
        var forged = Path.Combine(directory.Path, "forged");
        foreach (var path in Directory.GetFiles(spool.Directory))
        {
            await File.WriteAllTextAsync(forged, "Subject: FORGED\r\n\r\n");
            File.Move(forged, path, overwrite: true);
        }

        await using var read = await message.OpenReadAsync(CancellationToken.None);
        using var text = new StreamReader(read);
        Assert.Equal("Subject: genuine\r\n\r\nreal\r\n", await text.ReadToEndAsync());
    }

    [Fact]
    public async Task A_world_writable_spool_folder_is_refused()
    {
        using var directory = new TempDirectory();
        var folder = Path.Combine(directory.Path, "spool");
        Directory.CreateDirectory(folder);
        File.SetUnixFileMode(folder, (UnixFileMode)0b111_111_111);

        var refused = await Assert.ThrowsAsync<UnsafeFolderException>(() => new FileMessageSpool(folder).CreateAsync(CancellationToken.None).AsTask());

        Assert.Contains("0777", refused.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(folder));
    }

    [Fact]
    public async Task A_group_readable_spool_folder_is_refused()
    {
        using var directory = new TempDirectory();
        var folder = Path.Combine(directory.Path, "spool");
        Directory.CreateDirectory(folder);
        File.SetUnixFileMode(folder, (UnixFileMode)0b111_101_000);

        await Assert.ThrowsAsync<UnsafeFolderException>(() => new FileMessageSpool(folder).CreateAsync(CancellationToken.None).AsTask());
    }

    [Fact]
    public async Task A_spool_folder_of_another_user_is_refused()
    {
        using var directory = new TempDirectory();
        var folder = Path.Combine(directory.Path, "spool");
        PrivateFiles.CreateFolder(folder);
        await ExternalProgram.ChangeOwnerAsync(folder, 65534);

        var refused = await Assert.ThrowsAsync<UnsafeFolderException>(() => new FileMessageSpool(folder).CreateAsync(CancellationToken.None).AsTask());

        Assert.Contains("belongs to user id 65534", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_symlink_as_spool_folder_is_refused()
    {
        using var directory = new TempDirectory();
        var target = Path.Combine(directory.Path, "elsewhere");
        PrivateFiles.CreateFolder(target);
        var folder = Path.Combine(directory.Path, "spool");
        File.CreateSymbolicLink(folder, target);

        var refused = await Assert.ThrowsAsync<UnsafeFolderException>(() => new FileMessageSpool(folder).CreateAsync(CancellationToken.None).AsTask());

        Assert.Contains("symbolic link", refused.Message, StringComparison.Ordinal);
    }
}
