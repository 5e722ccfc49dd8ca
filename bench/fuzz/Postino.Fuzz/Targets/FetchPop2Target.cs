using Postino.Fetch.Pop2;
using Postino.Fetch.Protocol;
using Postino.Testing;

namespace Postino.Fuzz.Targets;

/// <summary>
/// The fetch client's POP2 reply parsing (<c>+</c>, <c>-</c>, <c>#n</c>, <c>=n</c>) against a server that answers
/// with the fuzz input: greeting, HELO, FOLD, READ, RETR of the announced count, ACKS, ACKD, NACK, QUIT.
/// </summary>
internal static class FetchPop2Target
{
    /// <summary>RETR reads exactly the announced count; past this the harness stops rather than wait for it.</summary>
    private const long MaxRetrieve = 1 << 16;

    public static void Run(byte[] input)
    {
        if (input.Length == 0)
        {
            return;
        }

        try
        {
            RunAsync(input[0], input[1..]).GetAwaiter().GetResult();
        }
        catch (Exception exception) when (exception is MailProtocolException or MailCommandException)
        {
            // The documented ways for a session with a bad server to end.
        }
    }

    private static async Task RunAsync(byte options, byte[] replies)
    {
        var ct = CancellationToken.None;
        await using var client = await Pop2Client.ConnectAsync(new TrickleStream(replies, (options % 32) + 1, swallowWrites: true), null, ct);
        var count = await client.HeloAsync("user", "pen cil\\", ct);
        if ((options & 0x80) != 0)
        {
            count = await client.FoldAsync("INBOX", ct);
        }

        for (var msn = 1; msn <= Math.Min(count, 3); msn++)
        {
            var length = await client.ReadAsync(msn, ct);
            if (length is <= 0 or > MaxRetrieve)
            {
                continue;
            }

            await client.RetrieveAsync(length, Stream.Null, ct);
            length = msn switch
            {
                1 => await client.AcksAsync(ct),
                2 => await client.AckdAsync(ct),
                _ => await client.NackAsync(ct),
            };
        }

        await client.QuitAsync(ct);
    }
}
