using System.IO.Pipelines;
using System.Text;
using Postino.Server.Pop3;
using Postino.Server.Tests.Fakes;
using Postino.Storage;

namespace Postino.Server.Tests.Pop3;

public class Pop3SessionTests
{
    private const string Password = "s3cret pass phrase";

    [Fact]
    public async Task Idle_timeout_closes_the_session_without_committing()
    {
        await using var host = NewHost();
        var connection = await LoggedInAsync(host);
        await connection.SendAsync("DELE 1\r\n");
        Assert.Equal("+OK Message 1 deleted\r\n", await connection.ReadLineAsync());

        host.Time.Advance(host.Options.IdleTimeout - TimeSpan.FromSeconds(1));
        await connection.SendAsync("NOOP\r\n");
        Assert.Equal("+OK\r\n", await connection.ReadLineAsync());
        host.Time.Advance(host.Options.IdleTimeout - TimeSpan.FromSeconds(1));
        await connection.SendAsync("NOOP\r\n");
        Assert.Equal("+OK\r\n", await connection.ReadLineAsync());
        host.Time.Advance(host.Options.IdleTimeout);

        Assert.Equal("-ERR Disconnected for inactivity\r\n", await connection.ReadLineAsync());
        await connection.Completion;
        Assert.Equal(Pop3SessionEnd.IdleTimeout, connection.Session.End);
        Assert.Equal(0, host.Store.Mailbox("alice").CommitCount);
        Assert.False(host.Store.Mailbox("alice").IsLocked);
    }

    [Fact]
    public async Task Idle_timeout_is_configurable()
    {
        await using var host = NewHost();
        host.Options.IdleTimeout = TimeSpan.FromSeconds(30);
        var connection = host.Connect();
        Assert.StartsWith("+OK", await connection.ReadLineAsync(), StringComparison.Ordinal);

        host.Time.Advance(TimeSpan.FromSeconds(30));

        Assert.Equal("-ERR Disconnected for inactivity\r\n", await connection.ReadLineAsync());
        await connection.Completion;
    }

    [Fact]
    public async Task A_client_vanishing_mid_retr_breaks_nothing_and_commits_nothing()
    {
        await using var host = NewHost();
        var stream = new TrackedStream(new byte[8 * 1024 * 1024]);
        host.Store.Mailbox("alice").Add("big", "x").Open = () => stream;
        var connection = await LoggedInAsync(host);
        await connection.SendAsync("DELE 1\r\nRETR 2\r\n");
        Assert.Equal("+OK Message 1 deleted\r\n", await connection.ReadLineAsync());
        Assert.StartsWith("+OK", await connection.ReadLineAsync(), StringComparison.Ordinal);
        await connection.ReadBytesAsync(100_000);

        connection.Vanish();
        await connection.Completion;

        Assert.Equal(Pop3SessionEnd.Disconnected, connection.Session.End);
        Assert.True(stream.Disposed);
        Assert.Equal(0, host.Store.Mailbox("alice").CommitCount);
        Assert.False(host.Store.Mailbox("alice").IsLocked);
        Assert.Equal(0, connection.Session.Statistics.RetrCount);
    }

    [Fact]
    public async Task Retr_streams_the_message_while_it_is_being_read()
    {
        await using var host = NewHost();
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        const int half = 2 * 1024 * 1024;
        var message = host.Store.Mailbox("alice").Add("big", "x");
        message.Size = 2 * half;
        message.Open = () => new GatedStream(half, 2 * half, gate.Task);
        var connection = await LoggedInAsync(host);
        await connection.SendAsync("RETR 2\r\n");
        Assert.Equal($"+OK {2 * half} octets\r\n", await connection.ReadLineAsync());

        // The stream has handed out only its first half: the client must already receive it.
        var first = await connection.ReadBytesAsync(half / 2);
        gate.SetResult();
        var rest = await connection.ReadBytesAsync(2 * half - first.Length + 5);

        Assert.Equal(half / 2, first.Length);
        Assert.EndsWith("yyyy\r\n.\r\n", Encoding.ASCII.GetString(rest), StringComparison.Ordinal);
        await connection.SendAsync("QUIT\r\n");
        Assert.StartsWith("+OK", await connection.ReadLineAsync(), StringComparison.Ordinal);
        Assert.Equal(["big"], host.Store.Mailbox("alice").RetrievedUidls);
    }

    [Fact]
    public async Task Pipelined_commands_are_answered_in_order_with_one_flush()
    {
        await using var host = NewHost();
        var connection = await LoggedInAsync(host);
        var flushesBefore = connection.FlushCount;

        await connection.SendAsync("STAT\r\nLIST 1\r\nUIDL 1\r\nNOOP\r\nTOP 1 0\r\n");
        var replies = Encoding.ASCII.GetString(await connection.ReadBytesAsync(74));

        Assert.Equal("+OK 1 19\r\n+OK 1 19\r\n+OK 1 u1\r\n+OK\r\n+OK Top of message follows\r\nA: b\r\n\r\n.\r\n", replies);
        Assert.Equal(1, connection.FlushCount - flushesBefore);
    }

    [Fact]
    public async Task The_logout_line_names_user_remote_counts_bytes_and_end_but_never_the_password()
    {
        await using var host = NewHost();
        var connection = await LoggedInAsync(host);
        await connection.SendAsync("RETR 1\r\nTOP 1 0\r\nDELE 1\r\nQUIT\r\n");
        await connection.ReadToEndAsync();
        await connection.Completion;

        var logout = Assert.Single(host.Logs.Lines, l => l.Contains("pop3 logout", StringComparison.Ordinal));
        Assert.Equal("Information: pop3 logout: user=alice remote=192.0.2.7:40000 tls=none retr=1/22 top=1/11 dele=1 end=Quit", logout);
        Assert.DoesNotContain(host.Logs.Lines, l => l.Contains(Password, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_failing_message_store_answers_sys_temp_and_the_session_goes_on()
    {
        await using var host = NewHost();
        host.Store.Mailbox("alice").Messages[0].Open = () => throw new StorageException("disk on fire");
        var connection = await LoggedInAsync(host);

        await connection.SendAsync("RETR 1\r\nNOOP\r\n");

        Assert.Equal("-ERR [SYS/TEMP] Message 1 cannot be read now; try again later\r\n", await connection.ReadLineAsync());
        Assert.Equal("+OK\r\n", await connection.ReadLineAsync());
    }

    [Fact]
    public async Task A_stream_breaking_mid_retr_ends_the_session_as_failed_without_commit()
    {
        await using var host = NewHost();
        host.Store.Mailbox("alice").Add("broken", "x").Open = () => new BrokenStream();
        var connection = await LoggedInAsync(host);

        await connection.SendAsync("DELE 1\r\nRETR 2\r\n");
        await connection.ReadToEndAsync();
        await connection.Completion;

        Assert.Equal(Pop3SessionEnd.Failed, connection.Session.End);
        Assert.Equal(0, host.Store.Mailbox("alice").CommitCount);
        Assert.Contains(host.Logs.Lines, l => l.StartsWith("Error: pop3 session failed", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Cancelling_the_session_closes_it_without_committing()
    {
        await using var host = NewHost();
        using var shutdown = new CancellationTokenSource();
        var connection = host.Connect(shutdown.Token);
        await connection.ReadLineAsync();
        await connection.SendAsync($"USER alice\r\nPASS {Password}\r\nDELE 1\r\n");
        await connection.ReadLineAsync();
        await connection.ReadLineAsync();
        Assert.Equal("+OK Message 1 deleted\r\n", await connection.ReadLineAsync());

        await shutdown.CancelAsync();
        await connection.Completion;

        Assert.Equal(Pop3SessionEnd.Aborted, connection.Session.End);
        Assert.Equal(0, host.Store.Mailbox("alice").CommitCount);
        Assert.False(host.Store.Mailbox("alice").IsLocked);
    }

    [Fact]
    public async Task Pass_hands_the_whole_password_and_the_remote_address_to_the_authenticator()
    {
        await using var host = NewHost();

        await LoggedInAsync(host);

        var attempt = Assert.Single(host.Authenticator.Attempts);
        Assert.Equal(("alice", Password, "192.0.2.7"), (attempt.User, attempt.Password, attempt.Remote.ToString()));
    }

    [Fact]
    public async Task Quit_releases_the_mailbox_before_its_reply_reaches_the_client()
    {
        await using var host = NewHost();
        var scheduler = new HeldPipeScheduler();
        var connection = await LoggedInAsync(host, PausedOutput(scheduler));

        // The server's flush of the QUIT reply stays pending (held) after the client has read it: the client must
        // be able to log in again at that moment, so the lock has to be gone already.
        scheduler.Hold();
        await connection.SendAsync("DELE 1\r\nQUIT\r\n");
        Assert.Equal("+OK Message 1 deleted\r\n", await connection.ReadLineAsync());
        Assert.StartsWith("+OK test.example POP3 server signing off", await connection.ReadLineAsync(), StringComparison.Ordinal);

        var mailbox = host.Store.Mailbox("alice");
        Assert.False(mailbox.IsLocked);
        Assert.Equal(1, mailbox.CommitCount);
        scheduler.Release();
        await connection.Completion;
        Assert.Equal(Pop3SessionEnd.Quit, connection.Session.End);
        Assert.Equal(1, mailbox.DisposeCount);
    }

    [Fact]
    public async Task Failed_commit_at_quit_releases_the_mailbox_once_before_its_reply()
    {
        await using var host = NewHost();
        host.Store.FailCommits = true;
        var scheduler = new HeldPipeScheduler();
        var connection = await LoggedInAsync(host, PausedOutput(scheduler));

        scheduler.Hold();
        await connection.SendAsync("DELE 1\r\nQUIT\r\n");
        Assert.Equal("+OK Message 1 deleted\r\n", await connection.ReadLineAsync());
        Assert.Equal(
            "-ERR [SYS/TEMP] Deleted messages could not be removed, nothing was deleted; try again later\r\n",
            await connection.ReadLineAsync());

        var mailbox = host.Store.Mailbox("alice");
        Assert.False(mailbox.IsLocked);
        scheduler.Release();
        await connection.Completion;
        Assert.Equal(Pop3SessionEnd.CommitFailed, connection.Session.End);
        Assert.Equal(0, mailbox.CommitCount);
        Assert.Single(mailbox.Messages);
        Assert.Equal(1, mailbox.DisposeCount);
    }

    /// <summary>A server output the client must drain before a flush completes, its completion held by <paramref name="scheduler"/>.</summary>
    internal static PipeOptions PausedOutput(PipeScheduler scheduler) =>
        new(writerScheduler: scheduler, pauseWriterThreshold: 1, resumeWriterThreshold: 1, useSynchronizationContext: false);

    internal static Pop3TestHost NewHost()
    {
        var host = new Pop3TestHost();
        host.AddUser("alice", Password);
        host.Store.Mailbox("alice").Add("u1", "A: b\n\nbody line\n");
        return host;
    }

    internal static async Task<Pop3TestConnection> LoggedInAsync(Pop3TestHost host, PipeOptions? serverOutput = null)
    {
        var connection = host.Connect(serverOutput: serverOutput);
        Assert.StartsWith("+OK", await connection.ReadLineAsync(), StringComparison.Ordinal);
        await connection.SendAsync($"USER alice\r\nPASS {Password}\r\n");
        Assert.Equal("+OK Send your password\r\n", await connection.ReadLineAsync());
        Assert.StartsWith("+OK Logged in", await connection.ReadLineAsync(), StringComparison.Ordinal);
        return connection;
    }

    private sealed class TrackedStream(byte[] data) : MemoryStream(data, writable: false)
    {
        public bool Disposed { get; private set; }

        protected override void Dispose(bool disposing)
        {
            Disposed = true;
            base.Dispose(disposing);
        }
    }

    /// <summary>Gives <c>open</c> octets of "y" lines at once, then waits for the gate before giving the rest.</summary>
    private sealed class GatedStream(long open, long length, Task gate) : Stream
    {
        private long _position;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => length;

        public override long Position { get => _position; set => throw new NotSupportedException(); }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (_position >= open)
            {
                await gate.WaitAsync(cancellationToken);
            }

            var count = (int)Math.Min(buffer.Length, length - _position);
            for (var i = 0; i < count; i++)
            {
                // Lines of 98 'y' and CRLF; the last line is cut short (the encoder ends it).
                var at = (_position + i) % 100;
                buffer.Span[i] = at == 98 ? (byte)'\r' : at == 99 ? (byte)'\n' : (byte)'y';
            }

            _position += count;
            return count;
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }

    private sealed class BrokenStream : Stream
    {
        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => 0; set => throw new NotSupportedException(); }

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            ValueTask.FromException<int>(new IOException("the disk went away"));

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
