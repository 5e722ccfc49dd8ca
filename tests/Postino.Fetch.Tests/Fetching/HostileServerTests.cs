using System.Globalization;
using System.Text;
using Postino.Fetch.Destinations;
using Postino.Fetch.Fetching;
using Postino.Fetch.Pop3;
using Postino.Fetch.Sasl;
using Postino.Fetch.Tests.Support;

namespace Postino.Fetch.Tests.Fetching;

/// <summary>
/// <c>postino fetch</c> against servers that try to exhaust it, over real sockets: an endless RETR, an endless
/// listing, a SCRAM iteration count of two billion. Each run must end on its own, bounded; the safety token only keeps
/// a regression from hanging the suite.
/// </summary>
public sealed class HostileServerTests : IDisposable
{
    private static readonly TimeSpan SafetyNet = TimeSpan.FromSeconds(60);
    private readonly TempDirectory _dir = new();
    private readonly FakeMailbox _mailbox = new();
    private readonly CancellationTokenSource _safety = new(SafetyNet);

    public HostileServerTests()
    {
        for (var i = 1; i <= 3; i++)
        {
            _mailbox.Add(Pop3FetcherTests.Message(i));
        }
    }

    public void Dispose()
    {
        _safety.Dispose();
        _dir.Dispose();
    }

    private string MaildirPath => _dir.Combine("Maildir");

    private FetchAccount Account(FakePop3Server server, Pop3AuthMethod auth = Pop3AuthMethod.Auto) => new()
    {
        Name = "alice@hostile",
        Host = "127.0.0.1",
        Port = server.Port,
        User = server.User,
        Password = _ => Task.FromResult(server.Password),
        AuthMethod = auth,
        StatePath = _dir.Combine("state", "alice.json"),
        Destination = new MaildirDestination(MaildirPath),
    };

    private static Fetcher NewFetcher() => new(new FetchOptions { RetryDelays = [] });

    [Fact]
    public async Task Endless_retr_fails_that_message_only_stores_nothing_of_it_and_the_run_goes_on()
    {
        await using var server = new FakePop3Server(_mailbox);
        long sent = 0;
        server.Hostile = async (line, stream, ct) =>
        {
            if (line != "RETR 2")
            {
                return false;
            }

            sent = await StreamForeverAsync(stream, "+OK here it comes\r\n", "an endless line of the second message\r\n", ct);
            return true;
        };

        var result = await NewFetcher().FetchAsync(Account(server), _safety.Token);

        Assert.Equal(FetchOutcome.PermanentFailure, result.Outcome);
        Assert.Equal(2, result.Downloaded);
        Assert.Equal(2, Assert.Single(result.Refused).Msn);
        Assert.Equal(2, server.Sessions);
        Assert.Equal([Pop3FetcherTests.Message(1), Pop3FetcherTests.Message(3)],
            MaildirContents.Read(MaildirPath).Select(m => m.ReplaceLineEndings("\n")).Order(StringComparer.Ordinal));
        Assert.Empty(Directory.EnumerateFiles(Path.Combine(MaildirPath, "tmp")));

        // The announced size plus 1 MiB, plus what the sockets buffered: nowhere near the gigabytes of an endless reply.
        Assert.InRange(sent, Pop3Client.MessageCap(0), 64L << 20);
    }

    [Fact]
    public async Task Endless_top_of_a_skipped_message_fails_that_message_only()
    {
        await using var server = new FakePop3Server(_mailbox);
        server.Hostile = async (line, stream, ct) =>
        {
            if (line != "TOP 2 0")
            {
                return false;
            }

            await StreamForeverAsync(stream, "+OK\r\n", "X-Endless: header\r\n", ct);
            return true;
        };

        var result = await NewFetcher().FetchAsync(Account(server) with { MaxSize = 10 }, _safety.Token);

        Assert.Equal(FetchOutcome.PermanentFailure, result.Outcome);
        Assert.Equal([1, 3], result.Skipped.Select(s => s.Msn));
        Assert.Equal(2, Assert.Single(result.Refused).Msn);
        Assert.Equal(2, server.Sessions);
        Assert.Empty(MaildirContents.Read(MaildirPath));
    }

    [Fact]
    public async Task A_message_slightly_longer_than_announced_is_still_stored()
    {
        await using var server = new FakePop3Server(_mailbox);
        server.Hostile = async (line, stream, ct) =>
        {
            if (line != "LIST")
            {
                return false;
            }

            // Servers count octets a little differently (LF vs CRLF, stuffing): well within the margin.
            await WriteAsync(stream, "+OK\r\n1 10\r\n2 10\r\n3 10\r\n.\r\n", ct);
            return true;
        };

        var result = await NewFetcher().FetchAsync(Account(server), _safety.Token);

        Assert.Equal(FetchOutcome.Success, result.Outcome);
        Assert.Equal(3, result.Downloaded);
    }

    [Theory]
    [InlineData("UIDL", 103)]
    [InlineData("LIST", 103)]
    [InlineData("CAPA", Pop3Client.MaxCapabilityLines)]
    public async Task Endless_listing_is_cut_at_the_stat_count_plus_a_margin(string verb, int cap)
    {
        await using var server = new FakePop3Server(_mailbox);
        server.Hostile = async (line, stream, ct) =>
        {
            if (line != verb)
            {
                return false;
            }

            var number = 0;
            await WriteAsync(stream, "+OK\r\n", ct);
            while (true)
            {
                var chunk = new StringBuilder();
                for (var i = 0; i < 1000; i++)
                {
                    number++;
                    chunk.Append(CultureInfo.InvariantCulture, $"{number} {(verb == "UIDL" ? $"uid{number}" : "100")}\r\n");
                }

                await WriteAsync(stream, chunk.ToString(), ct);
            }
        };

        var result = await NewFetcher().FetchAsync(Account(server), _safety.Token);

        Assert.Equal(FetchOutcome.TemporaryFailure, result.Outcome);
        Assert.Equal(103, Pop3Client.ListingCap(3));
        Assert.Contains($"more than {cap} lines in reply to {verb}", result.Message, StringComparison.Ordinal);
        Assert.Empty(MaildirContents.Read(MaildirPath));
    }

    [Fact]
    public async Task Stat_announcing_more_messages_than_the_ceiling_is_refused()
    {
        await using var server = new FakePop3Server(_mailbox);
        server.Hostile = async (line, stream, ct) =>
        {
            if (line != "STAT")
            {
                return false;
            }

            await WriteAsync(stream, "+OK 2147483647 100\r\n", ct);
            return true;
        };

        var result = await NewFetcher().FetchAsync(Account(server), _safety.Token);

        Assert.Equal(FetchOutcome.TemporaryFailure, result.Outcome);
        Assert.Contains("2147483647 messages", result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Scram_iteration_count_of_two_billion_is_refused_at_once()
    {
        await using var server = new FakePop3Server(_mailbox) { ExtraCapabilities = "SASL SCRAM-SHA-256\r\n" };
        server.Hostile = async (line, stream, ct) =>
        {
            if (!line.StartsWith("AUTH SCRAM-SHA-256 ", StringComparison.Ordinal))
            {
                return false;
            }

            var clientFirst = Encoding.UTF8.GetString(Convert.FromBase64String(line["AUTH SCRAM-SHA-256 ".Length..]));
            var nonce = clientFirst[(clientFirst.IndexOf("r=", StringComparison.Ordinal) + 2)..];
            var serverFirst = $"r={nonce}server,s={Convert.ToBase64String(new byte[16])},i=2147483647";
            await WriteAsync(stream, $"+ {Convert.ToBase64String(Encoding.UTF8.GetBytes(serverFirst))}\r\n", ct);
            return true;
        };

        var result = await NewFetcher().FetchAsync(Account(server, Pop3AuthMethod.ScramSha256), _safety.Token);

        Assert.Equal(FetchOutcome.TemporaryFailure, result.Outcome);
        Assert.Contains("SCRAM-SHA-256 challenge was malformed", result.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(4095)]
    [InlineData(ScramSha256Client.MaxIterations + 1)]
    public void Scram_iteration_counts_outside_the_bounds_are_refused(int iterations)
    {
        var scram = new ScramSha256Client("user", "pencil", "nonce");
        scram.InitialResponse();

        Assert.Null(scram.Respond(Encoding.UTF8.GetBytes($"r=nonceSERVER,s=W22ZaJ0SNY7soEsUEjb6gQ==,i={iterations}")));
    }

    [Fact]
    public void Scram_key_derivation_stops_when_cancelled()
    {
        var scram = new ScramSha256Client("user", "pencil", "nonce");
        scram.InitialResponse();
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();

        Assert.Throws<OperationCanceledException>(() => scram.Respond(
            Encoding.UTF8.GetBytes($"r=nonceSERVER,s=W22ZaJ0SNY7soEsUEjb6gQ==,i={ScramSha256Client.MaxIterations}"), cancelled.Token));
    }

    [Fact]
    public void Cancellable_key_derivation_matches_the_framework_pbkdf2()
    {
        var password = "pencil"u8.ToArray();
        var salt = Convert.FromBase64String("W22ZaJ0SNY7soEsUEjb6gQ==");

        var ours = ScramSha256Client.Pbkdf2(password, salt, 5000, CancellationToken.None);

        Assert.Equal(System.Security.Cryptography.Rfc2898DeriveBytes.Pbkdf2(password, salt, 5000,
            System.Security.Cryptography.HashAlgorithmName.SHA256, 32), ours);
    }

    private static async Task<long> StreamForeverAsync(Stream stream, string head, string line, CancellationToken cancellationToken)
    {
        var chunk = Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat(line, 64 * 1024 / line.Length)));
        long sent = 0;
        try
        {
            await WriteAsync(stream, head, cancellationToken);
            while (true)
            {
                await stream.WriteAsync(chunk, cancellationToken);
                sent += chunk.Length;
            }
        }
        catch (Exception exception) when (exception is IOException or System.Net.Sockets.SocketException)
        {
            // The client hung up: what a bounded client does.
            return sent;
        }
    }

    private static async Task WriteAsync(Stream stream, string text, CancellationToken cancellationToken) =>
        await stream.WriteAsync(Encoding.ASCII.GetBytes(text), cancellationToken);
}
