namespace Postino.Testing;

/// <summary>The few protocol steps the tests repeat: a POP3 greeting and login, an LMTP greeting and transaction.</summary>
public sealed partial class LineClient
{
    /// <summary>Connects and reads the POP3 greeting, which must be +OK.</summary>
    public static async Task<LineClient> ConnectPop3Async(int port)
    {
        var client = await ConnectAsync(port);
        ExpectOk(await client.ReadLineAsync(), "greeting");
        return client;
    }

    /// <summary>Connects, reads the 220 greeting and says LHLO.</summary>
    public static async Task<LineClient> ConnectLmtpAsync(int port)
    {
        var client = await ConnectAsync(port);
        await client.ExpectAsync("220");
        await client.WriteAsync("LHLO crash.test\r\n");
        await client.ExpectAsync("250");
        return client;
    }

    /// <summary>POP3 USER and PASS; the reply to PASS.</summary>
    public async Task<string> LoginAsync(string user, string password)
    {
        ExpectOk(await CommandAsync($"USER {user}"), "USER");
        return await CommandAsync($"PASS {password}");
    }

    /// <summary>LMTP: one message to one recipient; returns when the server acknowledged it with 250.</summary>
    public async Task SendMessageAsync(string sender, string recipient, byte[] dotStuffedBody)
    {
        await WriteAsync($"MAIL FROM:<{sender}>\r\nRCPT TO:<{recipient}>\r\nDATA\r\n");
        await ExpectAsync("250");
        await ExpectAsync("250");
        await ExpectAsync("354");
        for (var offset = 0; offset < dotStuffedBody.Length; offset += 16 * 1024)
        {
            await WriteAsync(dotStuffedBody.AsMemory(offset, Math.Min(16 * 1024, dotStuffedBody.Length - offset)));
        }

        await WriteAsync(".\r\n");
        await ExpectAsync("250");
    }

    /// <summary>LMTP: one message to several recipients (each accepted at RCPT); the per-recipient replies after the data.</summary>
    public async Task<IReadOnlyList<string>> SendToAllAsync(string sender, IReadOnlyList<string> recipients, byte[] dotStuffedBody)
    {
        await WriteAsync($"MAIL FROM:<{sender}>\r\n" + string.Concat(recipients.Select(r => $"RCPT TO:<{r}>\r\n")) + "DATA\r\n");
        await ExpectAsync("250");
        foreach (var _ in recipients)
        {
            await ExpectAsync("250");
        }

        await ExpectAsync("354");
        await WriteAsync(dotStuffedBody);
        await WriteAsync(".\r\n");
        var replies = new List<string>();
        foreach (var _ in recipients)
        {
            replies.Add(await ReadLineAsync());
        }

        return replies;
    }

    private static void ExpectOk(string reply, string step)
    {
        if (!reply.StartsWith("+OK", StringComparison.Ordinal))
        {
            throw new IOException($"expected +OK to {step}: {reply}");
        }
    }
}
