using Postino.Server.Tests.Pop2.Support;

namespace Postino.Server.Tests.Pop2.Conformance;

/// <summary>
/// Checks a POP2 server over the network against RFC 937 as spec/pop2.md section 11 reads it, in the spirit of the
/// spec's pop2check.py (section 13): exact RETR octets, READ beyond the range, FOLD resetting the current message,
/// FOLD of a missing folder, rollback of a session dropped without QUIT, =0 for a message ACKD'ed in the session, and
/// FOLD after ACKD. Precondition: the INBOX holds the <c>expected</c> messages (at least 2), in order, given in their
/// CRLF wire form. The run is destructive: its last check deletes message 1.
/// </summary>
public sealed class Pop2ConformanceChecker(string host, int port, string user, string password, IReadOnlyList<byte[]> expected)
{
    private readonly List<Pop2CheckResult> _results = [];

    private int Count => expected.Count;

    public async Task<IReadOnlyList<Pop2CheckResult>> RunAsync()
    {
        if (Count < 2)
        {
            throw new ArgumentException("the checks need at least 2 known messages", nameof(expected));
        }

        await CheckAsync("greeting", GreetingAsync);
        await CheckAsync("helo-count", HeloCountAsync);
        await CheckAsync("keywords-any-case", KeywordCaseAsync);
        await CheckAsync("retr-exact", RetrExactAsync);
        await CheckAsync("nack-repeats", NackRepeatsAsync);
        await CheckAsync("read-beyond-range", ReadBeyondRangeAsync);
        await CheckAsync("fold-resets-current", FoldResetsCurrentAsync);
        await CheckAsync("fold-nonexistent", FoldNonexistentAsync);
        await CheckAsync("retr-of-nothing-closes", RetrOfNothingClosesAsync);
        await CheckAsync("quit-in-next-refused", QuitInNextAsync);
        await CheckAsync("unknown-command-closes", UnknownCommandAsync);
        await CheckAsync("read-deleted-zero", ReadDeletedZeroAsync);
        await CheckAsync("drop-without-quit", DropWithoutQuitAsync);
        await CheckAsync("fold-after-ackd", FoldAfterAckdAsync);
        return _results;
    }

    private async Task CheckAsync(string name, Func<Task<string?>> check)
    {
        string? failure;
        try
        {
            failure = await check();
        }
        catch (Exception exception) when (exception is IOException or InvalidOperationException or OperationCanceledException)
        {
            failure = exception.Message;
        }

        _results.Add(new Pop2CheckResult(name, failure is null, failure ?? ""));
    }

    private async Task<Pop2TestClient> LoginAsync()
    {
        var client = await Pop2TestClient.ConnectAsync(host, port);
        var greeting = await client.ReadLineAsync();
        if (greeting is null || !greeting.StartsWith('+'))
        {
            throw new InvalidOperationException($"greeting was '{greeting}'");
        }

        var helo = await client.CommandAsync($"HELO {user} {password}");
        if (Number(helo, '#') != Count)
        {
            throw new InvalidOperationException($"HELO answered '{helo}', expected #{Count}");
        }

        return client;
    }

    private async Task<string?> GreetingAsync()
    {
        await using var client = await Pop2TestClient.ConnectAsync(host, port);
        var greeting = await client.ReadLineAsync();
        return greeting is not null && greeting.StartsWith("+ POP2 ", StringComparison.Ordinal) && greeting.Split(' ').Length >= 3
            ? null
            : $"greeting '{greeting}' is not '+ POP2 <host> ...'";
    }

    private async Task<string?> HeloCountAsync()
    {
        await using var client = await LoginAsync();
        return await QuitAsync(client);
    }

    private async Task<string?> KeywordCaseAsync()
    {
        await using var client = await LoginAsync();
        var reply = await client.CommandAsync("read 1");
        return Number(reply, '=') == expected[0].Length ? await QuitAsync(client) : $"'read 1' answered '{reply}'";
    }

    private async Task<string?> RetrExactAsync()
    {
        await using var client = await LoginAsync();
        for (var msn = 1; msn <= Count; msn++)
        {
            var failure = await RetrieveAsync(client, msn, "ACKS");
            if (failure is not null)
            {
                return failure;
            }
        }

        return await QuitAsync(client);
    }

    private async Task<string?> NackRepeatsAsync()
    {
        await using var client = await LoginAsync();
        var failure = await RetrieveAsync(client, 2, "NACK");
        if (failure is not null)
        {
            return failure;
        }

        await client.SendAsync("RETR");
        var again = await client.ReadOctetsAsync(expected[1].Length);
        if (!again.SequenceEqual(expected[1]))
        {
            return "the second RETR after NACK sent different octets";
        }

        var ack = await client.CommandAsync("ACKS");
        return Number(ack, '=') is not null ? await QuitAsync(client) : $"ACKS answered '{ack}'";
    }

    private async Task<string?> ReadBeyondRangeAsync()
    {
        await using var client = await LoginAsync();
        var beyond = await client.CommandAsync($"READ {Count + 1}");
        if (Number(beyond, '=') != 0)
        {
            return $"READ {Count + 1} answered '{beyond}', expected =0";
        }

        var back = await client.CommandAsync("READ 1");
        return Number(back, '=') == expected[0].Length ? await QuitAsync(client) : $"after =0 the session did not go on: '{back}'";
    }

    private async Task<string?> FoldResetsCurrentAsync()
    {
        await using var client = await LoginAsync();
        await client.CommandAsync("READ 2");
        var fold = await client.CommandAsync("FOLD INBOX");
        if (Number(fold, '#') != Count)
        {
            return $"FOLD INBOX answered '{fold}'";
        }

        var read = await client.CommandAsync("READ");
        return Number(read, '=') == expected[0].Length ? await QuitAsync(client) : $"READ after FOLD answered '{read}', expected message 1";
    }

    private async Task<string?> FoldNonexistentAsync()
    {
        await using var client = await LoginAsync();
        var fold = await client.CommandAsync("FOLD no-such-folder-here");
        return Number(fold, '#') == 0 ? await QuitAsync(client) : $"FOLD of a missing folder answered '{fold}', expected #0";
    }

    private async Task<string?> RetrOfNothingClosesAsync()
    {
        await using var client = await LoginAsync();
        await client.CommandAsync($"READ {Count + 1}");
        var reply = await client.CommandAsync("RETR");
        return reply.StartsWith('-') && await client.IsClosedAsync() ? null : $"RETR of nothing answered '{reply}' and did not close";
    }

    private async Task<string?> QuitInNextAsync()
    {
        await using (var client = await LoginAsync())
        {
            await client.CommandAsync("READ 1");
            await client.SendAsync("RETR");
            await client.ReadOctetsAsync(expected[0].Length);
            var reply = await client.CommandAsync("QUIT");
            if (!reply.StartsWith('-') || !await client.IsClosedAsync())
            {
                return $"QUIT in NEXT answered '{reply}'";
            }
        }

        return await CountAfterAsync(Count);
    }

    private async Task<string?> UnknownCommandAsync()
    {
        await using var client = await LoginAsync();
        var reply = await client.CommandAsync("NOOP");
        return reply.StartsWith('-') && await client.IsClosedAsync() ? null : $"NOOP answered '{reply}' and did not close";
    }

    private async Task<string?> ReadDeletedZeroAsync()
    {
        // Dropped afterwards, so with rollback nothing is deleted.
        await using var client = await LoginAsync();
        var failure = await RetrieveAsync(client, 1, "ACKD");
        if (failure is not null)
        {
            return failure;
        }

        var read = await client.CommandAsync("READ 1");
        return Number(read, '=') == 0 ? null : $"READ of a message ACKD'ed in this session answered '{read}', expected =0";
    }

    private async Task<string?> DropWithoutQuitAsync()
    {
        await using (var client = await LoginAsync())
        {
            var failure = await RetrieveAsync(client, 1, "ACKD");
            if (failure is not null)
            {
                return failure;
            }
        }

        return await CountAfterAsync(Count);
    }

    private async Task<string?> FoldAfterAckdAsync()
    {
        await using (var client = await LoginAsync())
        {
            var failure = await RetrieveAsync(client, 1, "ACKD");
            if (failure is not null)
            {
                return failure;
            }

            var fold = await client.CommandAsync("FOLD INBOX");
            if (Number(fold, '#') is null)
            {
                return $"FOLD after ACKD answered '{fold}'";
            }

            var read = await client.CommandAsync("READ 1");
            if (Number(read, '=') != 0)
            {
                return $"the ACKD'ed message reappeared after FOLD: '{read}'";
            }

            var quit = await client.CommandAsync("QUIT");
            if (!quit.StartsWith('+'))
            {
                return $"QUIT answered '{quit}'";
            }
        }

        await using var after = await Pop2TestClient.ConnectAsync(host, port);
        await after.ReadLineAsync();
        var helo = await after.CommandAsync($"HELO {user} {password}");
        if (Number(helo, '#') != Count - 1)
        {
            return $"after QUIT HELO answered '{helo}', expected #{Count - 1}";
        }

        var first = await after.CommandAsync("READ 1");
        return Number(first, '=') == expected[1].Length ? await QuitAsync(after) : $"READ 1 after the deletion answered '{first}'";
    }

    /// <summary>READ msn, RETR (exactly c octets, compared), then the acknowledgement, whose reply must be <c>=</c>.</summary>
    private async Task<string?> RetrieveAsync(Pop2TestClient client, int msn, string ack)
    {
        var want = expected[msn - 1];
        var read = await client.CommandAsync($"READ {msn}");
        if (Number(read, '=') != want.Length)
        {
            return $"READ {msn} answered '{read}', expected ={want.Length}";
        }

        await client.SendAsync("RETR");
        var data = await client.ReadOctetsAsync(want.Length);
        if (!data.SequenceEqual(want))
        {
            return $"RETR {msn} sent {data.Length} octets that differ from the expected {want.Length}";
        }

        var reply = await client.CommandAsync(ack);
        var next = ack == "NACK" ? want.Length : msn < Count ? expected[msn].Length : 0;
        return Number(reply, '=') == next ? null : $"{ack} after RETR {msn} answered '{reply}', expected ={next}";
    }

    private async Task<string?> CountAfterAsync(int count)
    {
        await using var client = await Pop2TestClient.ConnectAsync(host, port);
        await client.ReadLineAsync();
        var helo = await client.CommandAsync($"HELO {user} {password}");
        return Number(helo, '#') == count ? await QuitAsync(client) : $"next session: HELO answered '{helo}', expected #{count}";
    }

    private static async Task<string?> QuitAsync(Pop2TestClient client)
    {
        var quit = await client.CommandAsync("QUIT");
        return quit.StartsWith('+') && await client.IsClosedAsync() ? null : $"QUIT answered '{quit}'";
    }

    /// <summary>The number right after the lead character, as fetchmail reads it; null for another lead.</summary>
    private static long? Number(string reply, char lead)
    {
        if (reply.Length < 2 || reply[0] != lead)
        {
            return null;
        }

        var digits = new string([.. reply.Skip(1).TakeWhile(char.IsAsciiDigit)]);
        return digits.Length == 0 ? null : long.Parse(digits, System.Globalization.CultureInfo.InvariantCulture);
    }
}
