using System.Diagnostics;
using Postino.Storage.Maildir;

namespace Postino.Storage.Tests.Maildir;

public sealed class MaildirLockTests : IDisposable
{
    private readonly MaildirFixture _fixture = new();

    public void Dispose() => _fixture.Dispose();

    private string LockPath => Path.Combine(_fixture.Maildir, MaildirLock.FileName);

    [Fact]
    public async Task A_second_open_in_the_same_process_is_refused_until_the_first_is_disposed()
    {
        var first = await _fixture.Store.OpenAsync(MaildirFixture.User, null, CancellationToken.None);

        await Assert.ThrowsAsync<MailboxInUseException>(() => _fixture.Store.OpenAsync(MaildirFixture.User, null, CancellationToken.None).AsTask());
        await Assert.ThrowsAsync<MailboxInUseException>(() => _fixture.Restart().OpenAsync(MaildirFixture.User, "inbox", CancellationToken.None).AsTask());

        await first.DisposeAsync();
        await using var again = await _fixture.Store.OpenAsync(MaildirFixture.User, null, CancellationToken.None);
        Assert.Empty(again.Messages);
    }

    [Fact]
    public async Task Another_process_holding_the_lock_excludes_us_and_a_kill_9_releases_it()
    {
        await (await _fixture.Store.OpenAsync(MaildirFixture.User, null, CancellationToken.None)).DisposeAsync();
        using var holder = StartFlock($"--exclusive --nonblock {LockPath} /bin/sh -c 'echo locked; exec cat'");
        Assert.Equal("locked", await holder.StandardOutput.ReadLineAsync());

        await Assert.ThrowsAsync<MailboxInUseException>(() => _fixture.Store.OpenAsync(MaildirFixture.User, null, CancellationToken.None).AsTask());

        holder.Kill(entireProcessTree: true);
        await holder.WaitForExitAsync();
        await using var maildrop = await _fixture.Store.OpenAsync(MaildirFixture.User, null, CancellationToken.None);
        Assert.Empty(maildrop.Messages);
    }

    [Fact]
    public async Task Our_lock_excludes_another_process()
    {
        await using (await _fixture.Store.OpenAsync(MaildirFixture.User, null, CancellationToken.None))
        {
            using var attempt = StartFlock($"--exclusive --nonblock {LockPath} true");
            await attempt.WaitForExitAsync();
            Assert.Equal(1, attempt.ExitCode);
        }

        using var after = StartFlock($"--exclusive --nonblock {LockPath} true");
        await after.WaitForExitAsync();
        Assert.Equal(0, after.ExitCode);
    }

    [Fact]
    public async Task A_delivery_goes_through_while_a_session_holds_the_lock()
    {
        await using var maildrop = await _fixture.Store.OpenAsync(MaildirFixture.User, null, CancellationToken.None);

        var delivery = await _fixture.DeliverAsync("Subject: while locked\n\nbody\n");

        Assert.Empty(maildrop.Messages);
        Assert.Single(Directory.GetFiles(_fixture.New));
        Assert.False(string.IsNullOrEmpty(delivery.Uidl));
    }

    /// <summary>
    /// util-linux flock(1) takes the same flock(2) lock .NET takes for FileShare.None. With --no-fork every program in
    /// the chain replaces the previous one, so the lock holder is this one process and killing it frees the lock.
    /// </summary>
    private static Process StartFlock(string arguments)
    {
        var info = new ProcessStartInfo("/bin/sh", ["-c", $"exec flock --no-fork {arguments}"])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        return Process.Start(info) ?? throw new InvalidOperationException("flock (util-linux) could not be started");
    }
}
