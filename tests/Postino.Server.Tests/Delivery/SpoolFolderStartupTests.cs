using Postino.Server.Delivery;
using Postino.Storage.Files;

namespace Postino.Server.Tests.Delivery;

[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class SpoolFolderStartupTests
{
    [Fact]
    public void Orphan_spool_files_are_removed_with_a_log_line()
    {
        using var data = new TempDirectory();
        var folder = Path.Combine(data.Path, "spool");
        PrivateFiles.CreateFolder(folder);
        File.WriteAllBytes(Path.Combine(folder, FileMessageSpool.FilePrefix + "0123.tmp"), new byte[10_000]);
        File.WriteAllBytes(Path.Combine(folder, FileMessageSpool.FilePrefix + "4567.tmp"), new byte[10]);
        using var logs = new ListLogger();

        var removed = SpoolFolderStartup.Prepare(folder, logs.CreateLogger("spool"));

        Assert.Equal(2, removed);
        Assert.Empty(Directory.GetFiles(folder));
        Assert.Contains(logs.Lines, line => line.Contains("Removed 2 orphan spool file(s), 10010 octets", StringComparison.Ordinal));
    }

    [Fact]
    public void A_spool_folder_open_to_others_stops_the_start()
    {
        using var data = new TempDirectory();
        var folder = Path.Combine(data.Path, "spool");
        Directory.CreateDirectory(folder);
        File.SetUnixFileMode(folder, (UnixFileMode)0b111_111_111);
        using var logs = new ListLogger();

        Assert.Throws<UnsafeFolderException>(() => SpoolFolderStartup.Prepare(folder, logs.CreateLogger("spool")));
    }
}
