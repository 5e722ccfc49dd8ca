using Postino.Server.Delivery;
using Postino.Storage.Files;

namespace Postino.Interop.Tests;

/// <summary>The spool folder checks of <c>SpoolFolderStartup</c> as the real <c>postino serve</c> runs them.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class SpoolFolderServeTests
{
    [Fact]
    public async Task A_real_serve_removes_what_a_killed_delivery_left_in_its_spool()
    {
        using var data = new TempDirectory();
        var folder = Path.Combine(data.Path, "spool");
        PrivateFiles.CreateFolder(folder);
        var orphan = Path.Combine(folder, FileMessageSpool.FilePrefix + "killed.tmp");
        await File.WriteAllBytesAsync(orphan, new byte[4096]);
        await PostinoProcess.AddUserAsync(data.Path, "alice", "secret-1");

        await using var server = await PostinoProcess.StartOnAsync(data.Path);

        Assert.False(File.Exists(orphan));
        Assert.Contains("Removed 1 orphan spool file(s), 4096 octets", server.OutputText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_real_serve_runs_with_umask_077_and_makes_its_data_private()
    {
        using var data = new TempDirectory();
        var dataDir = Path.Combine(data.Path, "data");
        await PostinoProcess.AddUserAsync(dataDir, "alice", "secret-1");

        await using var server = await PostinoProcess.StartOnAsync(dataDir);

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
        await PostinoProcess.AddUserAsync(data.Path, "alice", "secret-1");
        var folder = Path.Combine(data.Path, "spool");
        Directory.CreateDirectory(folder);
        File.SetUnixFileMode(folder, (UnixFileMode)0b111_111_111);

        var (exitCode, output) = await PostinoProcess.RunAsync(
        [
            "serve", "--data-dir", data.Path,
            "--pop3", "127.0.0.1:0", "--pop3s", "none", "--pop2", "none", "--lmtp", "127.0.0.1:0", "--smtp", "none",
        ]);

        Assert.True(exitCode == 78, $"exit {exitCode}: {output}");
        Assert.Contains("refusing to use " + folder, output, StringComparison.Ordinal);
    }
}
