using System.Buffers;
using System.IO.Pipelines;
using System.Text;
using Postino.Server.Pop2;

namespace Postino.Server.Tests.Pop2.Support;

/// <summary>
/// One POP2 session over in-memory pipes, on a test bed holding alice (password "pw") with one 20-octet message, the
/// login idle timeout at 3 minutes and the session idle timeout at 30, on an injected clock: the setup the deadline
/// and timeout tests share.
/// </summary>
public sealed class Pop2PipeSession
{
    public Pop2PipeSession(TimeProvider time, PipeOptions? output = null)
    {
        Bed.Time = time;
        Bed.Authenticator.AddUser("alice", "pw");
        Bed.Store.AddMessage("alice", "INBOX", "Subject: x\n\nbody\n"u8.ToArray());
        Bed.Options.LoginIdleTimeout = TimeSpan.FromMinutes(3);
        Bed.Options.SessionIdleTimeout = TimeSpan.FromMinutes(30);
        Output = new Pipe(output ?? PipeOptions.Default);
    }

    public Pop2TestBed Bed { get; } = new();

    public Pipe Input { get; } = new();

    public Pipe Output { get; }

    /// <summary>Runs the session on the bed's services, changed by <paramref name="configure"/> when given.</summary>
    public Task<Pop2SessionEnd> Start(Func<Pop2Services, Pop2Services>? configure = null)
    {
        var services = configure is null ? Bed.Services : configure(Bed.Services);
        var session = new Pop2Session(new DuplexPipe(Input.Reader, Output.Writer), Bed.Remote, services);
        return session.RunAsync(CancellationToken.None);
    }

    public async Task SendAsync(string text) => await Input.Writer.WriteAsync(Encoding.ASCII.GetBytes(text));

    /// <summary>
    /// Reads the greeting, logs alice in, reads and retrieves her message and acknowledges it with ACKD: the session
    /// then holds a deletion it has not committed.
    /// </summary>
    public async Task LogInAndAcknowledgeTheMessageAsync()
    {
        await ReadLineAsync();
        await SendAsync("HELO alice pw\r\nREAD 1\r\nRETR\r\nACKD\r\n");
        Assert.Equal("#1 messages in INBOX", await ReadLineAsync());
        Assert.Equal("=20 octets in message 1", await ReadLineAsync());
        for (var line = 0; line < 3; line++)
        {
            await ReadLineAsync();
        }

        Assert.Equal("=0 no message 2", await ReadLineAsync());
    }

    /// <summary>The next reply line without its CRLF; empty once the server has closed.</summary>
    public async Task<string> ReadLineAsync()
    {
        var reader = Output.Reader;
        while (true)
        {
            var read = await reader.ReadAsync();
            var buffer = read.Buffer;
            if (buffer.PositionOf((byte)'\n') is { } lf)
            {
                var line = Encoding.UTF8.GetString(buffer.Slice(0, lf).ToArray()).TrimEnd('\r');
                reader.AdvanceTo(buffer.GetPosition(1, lf));
                return line;
            }

            reader.AdvanceTo(buffer.Start, buffer.End);
            if (read.IsCompleted)
            {
                return string.Empty;
            }
        }
    }
}
