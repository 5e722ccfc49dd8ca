using System.IO.Pipelines;
using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Postino.Server.Delivery;
using Postino.Server.Lmtp;
using Postino.Server.Smtp;

namespace Postino.Server.Tests.Delivery;

/// <summary>
/// Runs one SMTP or LMTP session over in-memory pipes, with the in-memory store and users, a real spool in a temp
/// directory and a fake clock.
/// </summary>
internal sealed class SessionHarness : IAsyncDisposable
{
    public static readonly DateTimeOffset StartTime = new(2026, 11, 27, 12, 0, 0, TimeSpan.Zero);

    private readonly TempDirectory _spoolDirectory = new();
    private readonly Pipe _toServer = new();
    private readonly Pipe _toClient = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly CancellationTokenSource _serverStopping = new();
    private Task? _session;

    public SessionHarness(MailTransferDialect dialect)
    {
        Dialect = dialect;
        Options = dialect == MailTransferDialect.Lmtp ? new LmtpOptions() : new SmtpOptions();
        Options.HostName = "mx.test";
        Options.MaxMessageSize = 200;
        Options.MaxRecipients = 3;
        Options.SpoolDirectory = _spoolDirectory.Path;

        // The clock is fake: a test that wants the unknown-recipient delay sets it and advances the clock.
        Options.UnknownRecipientDelay = TimeSpan.Zero;
        if (Options is SmtpOptions smtp)
        {
            smtp.LocalDomains.Add("example.org");
        }
    }

    public MailTransferDialect Dialect { get; }

    public MailTransferOptions Options { get; }

    public MemoryMailStore Store { get; init; } = DeliveryFixtures.Store();

    public MemoryUserDirectory Users { get; init; } = DeliveryFixtures.Users();

    public FakeTimeProvider Time { get; init; } = new(StartTime);

    public EndPoint? Remote { get; init; }

    public Sessions.SessionLimits Limits { get; init; } = new();

    public IStartTlsUpgrade? StartTls { get; init; }

    public PipeWriter Client => _toServer.Writer;

    public PipeReader Server => _toClient.Reader;

    public string SpoolDirectory => _spoolDirectory.Path;

    public Task Session => _session ?? throw new InvalidOperationException("not started");

    /// <summary>Begins a graceful server stop, as SIGTERM would.</summary>
    public Task StopServerAsync() => _serverStopping.CancelAsync();

    public void Start()
    {
        var domains = Options is SmtpOptions smtp ? smtp.LocalDomains : [];
        var context = new MailTransferContext(
            Store,
            new RecipientResolver(Users, domains),
            new FileMessageSpool(Options.SpoolDirectory),
            Time,
            NullLogger.Instance,
            StartTls,
            _serverStopping.Token,
            Limits);
        var session = new MailTransferSession(Dialect, Options, context, new DuplexPipe(_toServer.Reader, _toClient.Writer), Remote);
        _session = Task.Run(async () =>
        {
            try
            {
                await session.RunAsync(_stop.Token);
            }
            finally
            {
                await _toClient.Writer.CompleteAsync();
                await _toServer.Reader.CompleteAsync();
            }
        });
    }

    /// <summary>Reads everything the server writes until it closes its side.</summary>
    public async Task<string> ReadToEndAsync()
    {
        var output = new MemoryStream();
        while (true)
        {
            var result = await Server.ReadAsync();
            foreach (var segment in result.Buffer)
            {
                output.Write(segment.Span);
            }

            Server.AdvanceTo(result.Buffer.End);
            if (result.IsCompleted)
            {
                return System.Text.Encoding.UTF8.GetString(output.ToArray());
            }
        }
    }

    /// <summary>Reads one whole reply (all its lines) from the server.</summary>
    public async Task<string> ReadReplyAsync()
    {
        var text = new System.Text.StringBuilder();
        while (true)
        {
            var result = await Server.ReadAsync();
            var buffer = result.Buffer;
            var reader = new System.Buffers.SequenceReader<byte>(buffer);
            while (reader.TryReadTo(out System.Buffers.ReadOnlySequence<byte> line, (byte)'\n'))
            {
                var lineText = System.Text.Encoding.UTF8.GetString(System.Buffers.BuffersExtensions.ToArray(line)).TrimEnd('\r');
                text.Append(lineText).Append("\r\n");
                if (lineText.Length < 4 || lineText[3] != '-')
                {
                    Server.AdvanceTo(reader.Position);
                    return text.ToString();
                }
            }

            Server.AdvanceTo(reader.Position, buffer.End);
            if (result.IsCompleted)
            {
                return text.ToString();
            }
        }
    }

    public async Task SendAsync(string text)
    {
        await Client.WriteAsync(System.Text.Encoding.UTF8.GetBytes(text));
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        if (_session is not null)
        {
            await _session;
        }

        _stop.Dispose();
        _serverStopping.Dispose();
        _spoolDirectory.Dispose();
    }

    private sealed class DuplexPipe(PipeReader input, PipeWriter output) : IDuplexPipe
    {
        public PipeReader Input { get; } = input;

        public PipeWriter Output { get; } = output;
    }
}
