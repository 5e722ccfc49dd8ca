using Postino.Fetch.Pop3;
using Postino.Fetch.Protocol;
using Postino.Fetch.Sasl;
using Postino.Testing;

namespace Postino.Fuzz.Targets;

/// <summary>
/// The fetch client's POP3 reply parsing, against a server that answers with the fuzz input: greeting, CAPA, a
/// login (the first byte picks USER/PASS, APOP, PLAIN, LOGIN or SCRAM with a fixed nonce), STAT, LIST, UIDL, RETR,
/// TOP, DELE, QUIT. Only the client's documented errors may come out.
/// </summary>
internal static class FetchPop3Target
{
    public const string ClientNonce = "fuzzClientNonce";

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
        catch (Exception exception) when (exception is MailProtocolException or MailCommandException or MailTlsException)
        {
            // The documented ways for a session with a bad server to end.
        }
    }

    private static async Task RunAsync(byte options, byte[] replies)
    {
        var ct = CancellationToken.None;
        var stream = new TrickleStream(replies, (options >> 3) + 1, swallowWrites: true);
        await using var client = await Pop3Client.ConnectAsync(stream, false, null, ct);
        await client.CapaAsync(ct);
        switch (options & 0x07)
        {
            case 0:
                await client.AuthenticateAsync("user", "pencil", Pop3AuthMethod.UserPass, ct);
                break;
            case 1 when client.ApopTimestamp is not null:
                await client.AuthenticateAsync("user", "pencil", Pop3AuthMethod.Apop, ct);
                break;
            case 2:
                await client.AuthenticateAsync("user", "pencil", Pop3AuthMethod.Plain, ct);
                break;
            case 3:
                await client.AuthenticateAsync("user", "pencil", Pop3AuthMethod.Login, ct);
                break;
            default:
                await client.AuthenticateWithAsync(new ScramSha256Client("user", "pencil", ClientNonce), ct);
                break;
        }

        var stat = await client.StatAsync(ct);
        var listing = await client.ListAsync(ct);
        await client.UidlAsync(ct);
        foreach (var message in listing.Take(3))
        {
            await client.RetrieveAsync(message.Msn, Stream.Null, Pop3Client.MessageCap(message.Size), ct);
            await client.TopAsync(message.Msn, 0, Stream.Null, Pop3Client.MessageCap(message.Size), ct);
        }

        await client.DeleteManyAsync([.. listing.Select(m => m.Msn).Take(stat.Count)], ct);
        await client.QuitAsync(ct);
    }
}
