using System.Globalization;
using Postino.Server.Smtp;
using Postino.Server.Tests.Transcripts;

namespace Postino.Server.Tests.Delivery;

/// <summary>
/// Plays an LMTP or SMTP transcript against a session: the fixtures declare the users (<c>@user NAME</c>), the
/// recipients whose delivery fails (<c>@deliver-fails NAME quota|temp|perm</c>), those whose lookup fails
/// (<c>@lookup-fails NAME</c>) and options (<c>@option max-bad-commands|max-message-size|max-recipients|
/// unknown-recipient-penalty N</c>); all client bytes are pipelined, written in chunks of a given size, then the exact
/// server bytes and <c>= deliveries N</c> compared.
/// </summary>
internal static class TranscriptRunner
{
    public static IEnumerable<object[]> Cases(string protocol) =>
        from name in Transcript.Names(protocol)
        from chunk in Transcript.ChunkSizes
        select new object[] { name, chunk };

    public static async Task RunAsync(MailTransferDialect dialect, string protocol, string name, int chunkSize)
    {
        var transcript = Transcript.Load(protocol, name);
        transcript.Require("user", "deliver-fails", "lookup-fails", "option", "deliveries");
        await using var harness = new SessionHarness(dialect) { Store = new MemoryMailStore(), Users = new MemoryUserDirectory() };
        Arrange(transcript, harness);
        harness.Start();
        var serverText = harness.ReadToEndAsync();

        var bytes = transcript.ClientBytes;
        for (var offset = 0; offset < bytes.Length; offset += chunkSize)
        {
            var result = await harness.Client.WriteAsync(bytes.AsMemory(offset, Math.Min(chunkSize, bytes.Length - offset)));
            if (result.IsCompleted)
            {
                break;
            }
        }

        await harness.Client.CompleteAsync();

        Assert.Equal(System.Text.Encoding.UTF8.GetString(transcript.ServerBytes), await serverText);
        await harness.Session;
        foreach (var expected in transcript.ExpectationsNamed("deliveries"))
        {
            Assert.Equal(int.Parse(expected.Word(0), CultureInfo.InvariantCulture), harness.Store.Deliveries.Count);
        }

        Assert.Empty(Directory.GetFiles(harness.SpoolDirectory));
    }

    private static void Arrange(Transcript transcript, SessionHarness harness)
    {
        foreach (var line in transcript.Fixtures)
        {
            switch (line.Name)
            {
                case "user":
                    harness.Users.Add(line.Word(0), "{PLAIN}x");
                    break;
                case "lookup-fails":
                    harness.Users.FailingNames.Add(line.Word(0));
                    break;
                case "deliver-fails":
                    DeliveryFixtures.AddFailure(harness.Store, line.Word(0), line.Word(1));
                    break;
                case "option":
                    Option(harness.Options, line);
                    break;
            }
        }
    }

    private static void Option(MailTransferOptions options, TranscriptLine line)
    {
        var number = long.Parse(line.Word(1), CultureInfo.InvariantCulture);
        switch (line.Word(0))
        {
            case "max-bad-commands":
                options.MaxBadCommands = (int)number;
                break;
            case "max-message-size":
                options.MaxMessageSize = number;
                break;
            case "max-recipients":
                options.MaxRecipients = (int)number;
                break;
            case "unknown-recipient-penalty":
                options.UnknownRecipientPenalty = number != 0;
                break;
            default:
                throw new FormatException($"{line.Where}: unknown option {line.Word(0)}");
        }
    }
}
