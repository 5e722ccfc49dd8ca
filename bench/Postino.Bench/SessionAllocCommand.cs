using System.Buffers;
using System.CommandLine;
using System.Globalization;
using System.IO.Pipelines;
using System.Net;
using System.Runtime.CompilerServices;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Postino.Server.Auth;
using Postino.Server.Hosting;
using Postino.Server.Pop3;
using Postino.Storage;
using Postino.Storage.Maildir;

namespace Postino.Bench;

/// <summary>
/// Bytes allocated per POP3 session and per command on the server's hot path, in process: the POP3 services wired as
/// serve wires them (AddPop3, logging on but no provider enabled), sessions run one after the other over in-memory
/// pipes against a real Maildir store (or an in-memory one, to see the session alone), a client that allocates
/// nothing per command. GC.GetTotalAllocatedBytes(precise) around each command and each session after a warm-up.
/// The login is checked by a stub authenticator (password hashing and the auth cache are not the session path).
/// </summary>
internal static class SessionAllocCommand
{
    private const string User = "bench";
    private const string Password = "bench-pw";
    private const int Messages = 5;
    private const int MessageSize = 4096;

    public static Command Create()
    {
        var sessions = new Option<int>("--sessions") { DefaultValueFactory = _ => 2000, Description = "measured sessions" };
        var warmup = new Option<int>("--warmup") { DefaultValueFactory = _ => 500, Description = "sessions run before measuring" };
        var store = new Option<string>("--store") { DefaultValueFactory = _ => "maildir", Description = "maildir (a temporary folder) or memory" };
        var keep = new Option<bool>("--keep") { Description = "no DELE: every session finds the mailbox as the last one left it (the warm, trusted-index login)" };
        var types = new Option<bool>("--types") { Description = "also print the allocated types (sampled by the runtime; a separate run after the figures)" };
        var command = new Command("session-alloc", "Bytes allocated per in-process POP3 session and per command (USER, PASS, STAT, UIDL, LIST, 5 x RETR 4 KiB, DELE 1 unless --keep, QUIT).")
        {
            sessions, warmup, store, keep, types,
        };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var data = Directory.CreateTempSubdirectory("postino-session-alloc-");
            try
            {
                var mailStore = await CreateStoreAsync(parseResult.GetValue(store)!, data.FullName, cancellationToken);
                await RunAsync(mailStore, parseResult.GetValue(warmup), parseResult.GetValue(sessions), parseResult.GetValue(store)!, parseResult.GetValue(keep), parseResult.GetValue(types), cancellationToken);
                return 0;
            }
            finally
            {
                data.Delete(recursive: true);
            }
        });
        return command;
    }

    private static async Task RunAsync(IMailStore store, int warmup, int measured, string storeName, bool keep, bool types, CancellationToken cancellationToken)
    {
        var services = new ServiceCollection();
        services.AddSingleton(new PostinoServerOptions { HostName = "bench.example" });
        services.AddSingleton(store);
        services.AddSingleton<IPasswordAuthenticator>(new StubAuthenticator());
        services.AddPop3(new Pop3Options { Listen = "none" });
        await using var provider = services.BuildServiceProvider();
        var factory = provider.GetRequiredService<Pop3SessionFactory>();
        var script = Script(keep);
        var perCommand = new long[script.Length];

        for (var i = 0; i < warmup; i++)
        {
            await SessionAsync(factory, script, null, cancellationToken);
            await RefillAsync(store, keep, cancellationToken);
        }

        var pipes = PipeCost();
        long refill = 0;
        var before = GC.GetTotalAllocatedBytes(precise: true);
        for (var i = 0; i < measured; i++)
        {
            await SessionAsync(factory, script, perCommand, cancellationToken);
            var refillStart = GC.GetTotalAllocatedBytes(precise: true);
            await RefillAsync(store, keep, cancellationToken);
            refill += GC.GetTotalAllocatedBytes(precise: true) - refillStart;
        }

        var total = GC.GetTotalAllocatedBytes(precise: true) - before - refill;
        var perSession = (double)total / measured;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"store {storeName}: {measured} sessions after {warmup} warm-up, {script.Length} commands each"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  per session: {perSession:F0} B (of which the test pipes and session task: ~{pipes} B); per command: {perSession / script.Length:F0} B"));
        for (var c = 0; c < script.Length; c++)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {script[c].Label,-8} {(double)perCommand[c] / measured,8:F0} B"));
        }

        if (types)
        {
            // Sampling events would disturb the figures above, so the types come from a second run of as many sessions.
            using var listener = new AllocationTypes();
            listener.Start();
            for (var i = 0; i < measured; i++)
            {
                await SessionAsync(factory, script, null, cancellationToken);
                await RefillAsync(store, keep, cancellationToken);
            }

            Console.WriteLine("allocated types (sampled):");
            listener.Print(25);
        }
    }

    /// <summary>What the in-memory pipes of one session cost (the part a socket transport replaces).</summary>
    private static long PipeCost()
    {
        var before = GC.GetTotalAllocatedBytes(precise: true);
        var toServer = new Pipe();
        var toClient = new Pipe();
        GC.KeepAlive(new DuplexPipe(toServer.Reader, toClient.Writer));
        return GC.GetTotalAllocatedBytes(precise: true) - before;
    }

    private static async Task SessionAsync(Pop3SessionFactory factory, Step[] script, long[]? perCommand, CancellationToken cancellationToken)
    {
        var toServer = new Pipe();
        var toClient = new Pipe();
        var session = factory.Create(new ClientConnection("pop3", new IPEndPoint(IPAddress.Loopback, 40000), null));
        var run = session.RunAsync(new DuplexPipe(toServer.Reader, toClient.Writer), cancellationToken);
        await ReadReplyAsync(toClient.Reader, multiLine: false, cancellationToken);
        for (var c = 0; c < script.Length; c++)
        {
            var before = perCommand is null ? 0 : GC.GetTotalAllocatedBytes(precise: true);
            await toServer.Writer.WriteAsync(script[c].Line, cancellationToken);
            await ReadReplyAsync(toClient.Reader, script[c].MultiLine, cancellationToken);
            if (perCommand is not null)
            {
                perCommand[c] += GC.GetTotalAllocatedBytes(precise: true) - before;
            }
        }

        await run;
        await toServer.Writer.CompleteAsync();
        await toClient.Reader.CompleteAsync();
    }

    /// <summary>Reads one reply (to its CRLF, or to the CRLF.CRLF of a multi-line reply) without making strings.</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private static async ValueTask ReadReplyAsync(PipeReader reader, bool multiLine, CancellationToken cancellationToken)
    {
        while (true)
        {
            var read = await reader.ReadAsync(cancellationToken);
            var buffer = read.Buffer;
            if (buffer.First.Span is [(byte)'-', ..])
            {
                throw new InvalidOperationException("the server answered -ERR");
            }

            var end = multiLine ? FindMultiLineEnd(buffer) : buffer.PositionOf((byte)'\n') is { } lf ? buffer.GetPosition(1, lf) : (SequencePosition?)null;
            if (end is { } position)
            {
                reader.AdvanceTo(position);
                return;
            }

            if (read.IsCompleted)
            {
                throw new InvalidOperationException("the server closed the connection");
            }

            reader.AdvanceTo(buffer.Start, buffer.End);
        }
    }

    private static SequencePosition? FindMultiLineEnd(ReadOnlySequence<byte> buffer)
    {
        var reader = new SequenceReader<byte>(buffer);
        return reader.TryReadTo(out ReadOnlySequence<byte> _, "\r\n.\r\n"u8) ? reader.Position : null;
    }

    private static Step[] Script(bool keep)
    {
        var steps = new List<Step>
        {
            new("USER", $"USER {User}", false),
            new("PASS", $"PASS {Password}", false),
            new("STAT", "STAT", false),
            new("UIDL", "UIDL", true),
            new("LIST", "LIST", true),
        };
        for (var msn = 1; msn <= Messages; msn++)
        {
            steps.Add(new("RETR", $"RETR {msn}", true));
        }

        if (!keep)
        {
            steps.Add(new("DELE", "DELE 1", false));
        }

        steps.Add(new("QUIT", "QUIT", false));
        return [.. steps];
    }

    private static async Task<IMailStore> CreateStoreAsync(string kind, string dataDirectory, CancellationToken cancellationToken)
    {
        IMailStore store = kind switch
        {
            "maildir" => new MaildirStore(new MaildirStoreOptions { DataDirectory = dataDirectory, HostName = "bench.example" }),
            "memory" => new FixedStore(),
            _ => throw new ArgumentException($"unknown store {kind}: maildir or memory"),
        };

        for (var i = 0; i < Messages; i++)
        {
            await RefillAsync(store, keep: false, cancellationToken);
        }

        return store;
    }

    /// <summary>Delivers the message DELE 1 + QUIT removed (outside the figures: delivery is not the session path).</summary>
    private static async ValueTask RefillAsync(IMailStore store, bool keep, CancellationToken cancellationToken)
    {
        if (store is MaildirStore && !keep)
        {
            await store.DeliverAsync(User, new MemoryStream(Body), cancellationToken);
        }
    }

    private static readonly byte[] Body = Message();

    private static byte[] Message()
    {
        var text = new StringBuilder("From: a@example.org\r\nSubject: bench\r\n\r\n");
        while (text.Length < MessageSize - 78)
        {
            text.Append(CultureInfo.InvariantCulture, $"{new string('x', 70)}\r\n");
        }

        return Encoding.ASCII.GetBytes(text.ToString());
    }

    private sealed record Step(string Label, ReadOnlyMemory<byte> Line, bool MultiLine)
    {
        public Step(string label, string line, bool multiLine)
            : this(label, Encoding.ASCII.GetBytes(line + "\r\n"), multiLine)
        {
        }
    }

    private sealed class DuplexPipe(PipeReader input, PipeWriter output) : IDuplexPipe
    {
        public PipeReader Input { get; } = input;

        public PipeWriter Output { get; } = output;
    }

    /// <summary>Five fixed messages in memory whose commit changes nothing: the session's own cost, without a file system.</summary>
    private sealed class FixedStore : IMailStore
    {
        private readonly MessageInfo[] _messages = [.. Enumerable.Range(1, Messages).Select(i =>
            new MessageInfo($"m{i}", $"uidl-{i}", Body.Length, DateTimeOffset.UnixEpoch, null))];

        public ValueTask<IMaildrop> OpenAsync(string user, string? folder, CancellationToken cancellationToken) =>
            ValueTask.FromResult<IMaildrop>(new FixedMaildrop(_messages));

        public ValueTask<DeliveryResult> DeliverAsync(string user, Stream message, CancellationToken cancellationToken) =>
            throw new NotSupportedException();
    }

    private sealed class FixedMaildrop(MessageInfo[] messages) : IMaildrop
    {
        private readonly bool[] _deleted = new bool[messages.Length];

        public string User => SessionAllocCommand.User;

        public IReadOnlyList<MessageInfo> Messages => messages;

        public ValueTask<Stream> OpenMessageAsync(int index, CancellationToken cancellationToken) =>
            ValueTask.FromResult<Stream>(new MemoryStream(Body, writable: false));

        public void MarkDeleted(int index) => _deleted[index] = true;

        public bool IsDeleted(int index) => _deleted[index];

        public void ClearDeletions() => Array.Clear(_deleted);

        public void MarkRetrieved(int index)
        {
        }

        public ValueTask CommitAsync(CancellationToken cancellationToken) => ValueTask.CompletedTask;

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }

    private sealed class StubAuthenticator : IPasswordAuthenticator
    {
        private static readonly AuthenticationResult Success = new(AuthenticationOutcome.Success, User);
        private static readonly AuthenticationResult Refused = new(AuthenticationOutcome.BadCredentials);

        public ValueTask<AuthenticationResult> AuthenticateAsync(string user, string password, IPAddress remoteAddress, CancellationToken cancellationToken) =>
            ValueTask.FromResult(user == User && password == Password ? Success : Refused);
    }
}
