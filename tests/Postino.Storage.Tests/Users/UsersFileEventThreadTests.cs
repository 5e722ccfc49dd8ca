using System.Runtime.Versioning;
using Postino.Storage.Users;
using Postino.Testing;

namespace Postino.Storage.Tests.Users;

/// <summary>
/// A lookup from a socket's event thread (<see cref="Threading.OffEventLoop"/>, played by <see cref="OwnThread"/>):
/// the stat of an unchanged users file is answered there; a file that changed is re-read on a pool thread.
/// </summary>
[SupportedOSPlatform("linux")]
public sealed class UsersFileEventThreadTests : IDisposable
{
    private readonly TempDirectory _folder = new();

    public void Dispose() => _folder.Dispose();

    private string FilePath => Path.Combine(_folder.Path, "users");

    [Fact]
    public async Task An_unchanged_file_is_looked_up_on_the_event_thread_itself()
    {
        await File.WriteAllTextAsync(FilePath, "alice:{PLAIN}secret\n");
        var users = await UsersFile.OpenAsync(FilePath);

        var (completed, found) = await OwnThread.Run(async () =>
        {
            var lookup = users.FindAsync("alice", CancellationToken.None);
            var completed = lookup.IsCompletedSuccessfully;
            return (completed, await lookup);
        });

        Assert.True(completed, "the lookup moved off the event thread");
        Assert.Equal("alice", found?.Name);
    }

    [Fact]
    public async Task A_changed_file_is_read_again_on_a_pool_thread()
    {
        await File.WriteAllTextAsync(FilePath, "alice:{PLAIN}secret\n");
        var users = await UsersFile.OpenAsync(FilePath);
        await File.WriteAllTextAsync(FilePath, "alice:{PLAIN}secret\nbob:{PLAIN}other\n");

        var (completed, found, poolThread) = await OwnThread.Run(async () =>
        {
            var lookup = users.FindAsync("bob", CancellationToken.None);
            var completed = lookup.IsCompletedSuccessfully;
            var found = await lookup;
            return (completed, found, Thread.CurrentThread.IsThreadPoolThread);
        });

        Assert.False(completed, "the users file was parsed on the event thread");
        Assert.True(poolThread);
        Assert.Equal("bob", found?.Name);
    }
}
