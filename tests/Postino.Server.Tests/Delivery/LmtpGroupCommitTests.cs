using System.Text;
using System.Threading.Channels;

namespace Postino.Server.Tests.Delivery;

/// <summary>
/// LMTP over real sockets into the real Maildir store with the group commit of <c>new/</c>: concurrent senders
/// (Python's smtplib.LMTP) all land on disk, and each recipient's reply waits for the sync of its own <c>new/</c>.
/// </summary>
public sealed class LmtpGroupCommitTests
{
    [Fact]
    public async Task Concurrent_smtplib_lmtp_senders_all_land_on_disk_each_recipient_answered_250()
    {
        const int Senders = 8;
        const int Messages = 6;
        await using var host = await MaildirServerHost.StartAsync();
        var script = Path.Combine(AppContext.BaseDirectory, "Delivery", "Scripts", "lmtp_concurrent.py");

        var (exitCode, output) = await ExternalProgram.RunAsync("python3", [script, host.LmtpPort.ToString(), Senders.ToString(), Messages.ToString()]);

        Assert.True(exitCode == 0, output);
        Assert.Equal("ok", output.Trim());
        var alice = SubjectsIn(host, "alice");
        var bob = SubjectsIn(host, "bob");
        var all = Enumerable.Range(0, Senders).SelectMany(s => Enumerable.Range(0, Messages).Select(n => (s, n))).ToArray();
        Assert.Equal(all.Select(m => $"sender {m.s} message {m.n}").Order(StringComparer.Ordinal), alice);
        Assert.Equal(all.Where(m => m.n % 3 == 0).Select(m => $"sender {m.s} message {m.n}").Order(StringComparer.Ordinal), bob);

        // Never more syncs of new/ than names made in it (fewer when deliveries overlapped).
        Assert.InRange(host.Store.Delivery.NewDirectorySyncs, 1, alice.Count + bob.Count);
    }

    [Fact]
    public async Task Each_recipient_is_answered_after_the_sync_of_its_own_new_and_a_failed_sync_answers_451()
    {
        var syncs = Channel.CreateUnbounded<(string Directory, TaskCompletionSource Done)>();
        await using var host = await MaildirServerHost.StartAsync(directory =>
        {
            var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            syncs.Writer.TryWrite((directory, done));
            return new ValueTask(done.Task);
        });
        await using var lmtp = await LineClient.ConnectLmtpAsync(host.LmtpPort);

        var replies = lmtp.SendToAllAsync("sender@remote.test", ["alice@example.org", "bob@example.org"], "Subject: both\r\n\r\nbody\r\n"u8.ToArray());
        var started = new[] { await syncs.Reader.ReadAsync(), await syncs.Reader.ReadAsync() }.ToDictionary(s => s.Directory, s => s.Done);

        // Both names are made before either sync; the replies depend on how the syncs end, so they cannot come before.
        Assert.Single(Directory.GetFiles(NewOf(host, "alice")));
        Assert.Single(Directory.GetFiles(NewOf(host, "bob")));
        started[NewOf(host, "bob")].SetException(new IOException("fsync: EIO"));
        started[NewOf(host, "alice")].SetResult();
        var answered = await replies;

        Assert.StartsWith("250 2.0.0 <alice@example.org>", answered[0], StringComparison.Ordinal);
        Assert.StartsWith("451 4.3.0", answered[1], StringComparison.Ordinal);
    }

    private static string NewOf(MaildirServerHost host, string user) => Path.Combine(host.DataPath, "mail", user, "Maildir", "new");

    private static List<string> SubjectsIn(MaildirServerHost host, string user) =>
    [
        .. Directory.GetFiles(NewOf(host, user))
            .Select(file => File.ReadAllLines(file, Encoding.UTF8).Single(line => line.StartsWith("Subject: ", StringComparison.Ordinal))["Subject: ".Length..])
            .Order(StringComparer.Ordinal),
    ];
}
