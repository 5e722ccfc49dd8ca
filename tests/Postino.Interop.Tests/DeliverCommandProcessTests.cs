using Postino.Cli.Delivery;
using Postino.Storage.Files;

namespace Postino.Interop.Tests;

/// <summary>The real <c>postino deliver</c> process, as an MTA runs it: its spool, its exit codes, its file modes.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class DeliverCommandProcessTests : IDisposable
{
    private readonly TempDirectory _data = new();

    [Fact]
    public async Task Spools_in_the_data_folder_and_leaves_private_files_only()
    {
        await PostinoProcess.AddUserAsync(_data.Path, "alice", "secret-1");

        var (exitCode, output) = await DeliverAsync("Subject: hi\n\nbody\n", "-f", "s@remote.test", "alice");

        Assert.True(exitCode == 0, output);
        var spool = Path.Combine(_data.Path, "spool");
        Assert.Equal(PrivateFiles.FolderMode, File.GetUnixFileMode(spool));
        Assert.Empty(Directory.GetFiles(spool));
        var maildir = Path.Combine(_data.Path, "mail", "alice", "Maildir");
        foreach (var folder in new[] { maildir, Path.Combine(maildir, "new"), Path.Combine(maildir, "cur"), Path.Combine(maildir, "tmp") })
        {
            Assert.Equal(PrivateFiles.FolderMode, File.GetUnixFileMode(folder));
        }

        var message = Assert.Single(Directory.GetFiles(Path.Combine(maildir, "new")));
        Assert.Equal(PrivateFiles.FileMode, File.GetUnixFileMode(message));
        Assert.Equal(PrivateFiles.FileMode, File.GetUnixFileMode(Path.Combine(_data.Path, "users")));
    }

    [Fact]
    public async Task A_sender_with_crlf_is_exit_64_and_writes_no_header()
    {
        await PostinoProcess.AddUserAsync(_data.Path, "alice", "secret-1");

        var (exitCode, output) = await DeliverAsync("Subject: hi\n\nbody\n", "-f", "x@y\r\nX-Evil: 1", "alice");

        Assert.True(exitCode == SysExits.Usage, $"exit {exitCode}: {output}");
        Assert.False(Directory.Exists(Path.Combine(_data.Path, "mail", "alice", "Maildir", "new"))
            && Directory.GetFiles(Path.Combine(_data.Path, "mail", "alice", "Maildir", "new")).Length > 0);
    }

    [Fact]
    public async Task A_spool_folder_someone_else_made_first_is_refused_with_exit_78()
    {
        await PostinoProcess.AddUserAsync(_data.Path, "alice", "secret-1");
        var spool = Path.Combine(_data.Path, "spool");
        Directory.CreateDirectory(spool);
        File.SetUnixFileMode(spool, (UnixFileMode)0b111_111_111);
        await ExternalProgram.ChangeOwnerAsync(spool, 65534);

        var (exitCode, output) = await DeliverAsync("Subject: hi\n\nbody\n", "alice");

        Assert.True(exitCode == SysExits.Config, $"exit {exitCode}: {output}");
        Assert.Contains("refusing to use " + spool, output, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(spool));
    }

    public void Dispose() => _data.Dispose();

    private Task<ProgramResult> DeliverAsync(string message, params string[] arguments) =>
        PostinoProcess.RunAsync(["deliver", "--data-dir", _data.Path, .. arguments], message);
}
