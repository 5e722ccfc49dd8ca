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

    [Fact]
    public async Task A_real_serve_removes_what_a_killed_delivery_left_in_its_spool()
    {
        using var data = new TempDirectory();
        var folder = Path.Combine(data.Path, "spool");
        PrivateFiles.CreateFolder(folder);
        var orphan = Path.Combine(folder, FileMessageSpool.FilePrefix + "killed.tmp");
        await File.WriteAllBytesAsync(orphan, new byte[4096]);
        await PostinoServeProcess.AddUserAsync(data.Path, "alice", "secret-1");

        await using var server = await PostinoServeProcess.StartAsync(data.Path);

        Assert.False(File.Exists(orphan));
        Assert.Contains("Removed 1 orphan spool file(s), 4096 octets", server.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_real_serve_runs_with_umask_077_and_makes_its_data_private()
    {
        using var data = new TempDirectory();
        var dataDir = Path.Combine(data.Path, "data");
        await PostinoServeProcess.AddUserAsync(dataDir, "alice", "secret-1");

        await using var server = await PostinoServeProcess.StartAsync(dataDir);

        var status = await File.ReadAllLinesAsync($"/proc/{server.ProcessId}/status");
        Assert.Contains("Umask:\t0077", status);
        Assert.Equal(PrivateFiles.FolderMode, File.GetUnixFileMode(dataDir));
        Assert.Equal(PrivateFiles.FolderMode, File.GetUnixFileMode(Path.Combine(dataDir, "spool")));
        Assert.Equal(PrivateFiles.FileMode, File.GetUnixFileMode(Path.Combine(dataDir, Postino.Server.Auth.InstallationSecret.FileName)));
    }

    [Fact]
    public async Task A_real_serve_refuses_a_spool_folder_open_to_others()
    {
        using var data = new TempDirectory();
        await PostinoServeProcess.AddUserAsync(data.Path, "alice", "secret-1");
        var folder = Path.Combine(data.Path, "spool");
        Directory.CreateDirectory(folder);
        File.SetUnixFileMode(folder, (UnixFileMode)0b111_111_111);

        var (exitCode, output) = await ExternalProcess.RunAsync(
            "dotnet", null, Path.Combine(AppContext.BaseDirectory, "postino.dll"), "serve", "--data-dir", data.Path,
            "--pop3", "127.0.0.1:0", "--pop3s", "none", "--pop2", "none", "--lmtp", "127.0.0.1:0", "--smtp", "none");

        Assert.True(exitCode == 78, $"exit {exitCode}: {output}");
        Assert.Contains("refusing to use " + folder, output, StringComparison.Ordinal);
    }
}
