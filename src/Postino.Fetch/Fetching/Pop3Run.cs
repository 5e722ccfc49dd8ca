using Postino.Fetch.Pop3;
using Postino.Fetch.Protocol;

namespace Postino.Fetch.Fetching;

/// <summary>One POP3 session of a fetch: log in, download what is new, DELE what may go, QUIT.</summary>
internal sealed class Pop3Run(FetchAccount account, FetchOptions options, MessageSaver saver, RunTally tally)
{
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var connectionOptions = new MailConnectionOptions { Trace = options.Trace, Timeout = options.Timeout, TimeProvider = options.TimeProvider };
        await using var client = await Pop3Client.ConnectAsync(account.Host, account.Port, account.Tls, account.TlsOptions, connectionOptions, cancellationToken);
        var password = await PasswordUnavailableException.GetAsync(account, cancellationToken);
        await client.AuthenticateAsync(account.User, password, account.AuthMethod, cancellationToken);
        tally.LoginDelay = client.Capabilities.LoginDelay;

        // STAT first: its count bounds the LIST and UIDL replies that follow (without it, Pop3Client.MaxMessages does).
        try
        {
            await client.StatAsync(cancellationToken);
        }
        catch (MailCommandException)
        {
            // STAT is mandatory (RFC 1939), but a refusal costs nothing here: LIST says the same.
        }
        var uidls = await TryUidlAsync(client, cancellationToken);
        var listing = await client.ListAsync(cancellationToken);
        foreach (var notice in await saver.RecoverAsync(cancellationToken))
        {
            options.Progress?.Notice(account, notice);
        }

        var fresh = listing.Where(m => uidls is null || !uidls.TryGetValue(m.Msn, out var uidl) || saver.FindStored(uidl) is null).ToList();
        options.Progress?.Started(account, fresh.Count, fresh.Sum(m => m.Size));

        var toDelete = new List<int>();
        var downloaded = 0;
        foreach (var message in listing)
        {
            var uidl = uidls?.GetValueOrDefault(message.Msn);
            if (uidl is not null && saver.FindStored(uidl) is { } known)
            {
                tally.AlreadyDownloaded++;
                if (saver.ShouldDelete(known))
                {
                    toDelete.Add(message.Msn);
                }

                continue;
            }

            if (tally.Overruns.Contains(OverrunKey(uidl, message.Msn)))
            {
                continue;
            }

            if (account.MaxSize is { } maxSize && message.Size > maxSize)
            {
                string summary;
                try
                {
                    summary = await SummarizeAsync(client, message.Msn, message.Size, cancellationToken);
                }
                catch (MailDataOverrunException)
                {
                    tally.Overruns.Add(OverrunKey(uidl, message.Msn));
                    tally.Refused.Add(new SkippedMessage(message.Msn, message.Size,
                        $"refused: the server sent more than {Pop3Client.MessageCap(message.Size)} octets in reply to TOP"));
                    throw;
                }

                tally.Skipped.Add(new SkippedMessage(message.Msn, message.Size, summary));
                continue;
            }

            if (account.Limit is { } limit && downloaded >= limit)
            {
                tally.LeftForLater++;
                continue;
            }

            FetchStateEntryResult saved;
            try
            {
                var cap = Pop3Client.MessageCap(message.Size);
                var (entry, stored) = await saver.SaveAsync(uidl, (stream, ct) => client.RetrieveAsync(message.Msn, stream, cap, ct), cancellationToken);
                saved = new FetchStateEntryResult(entry, stored);
            }
            catch (MailDataOverrunException)
            {
                // Not stored (the destination's pending file is dropped); the connection is lost mid-message, so
                // the fetcher reconnects at once and this message is passed over for the rest of the run.
                tally.Overruns.Add(OverrunKey(uidl, message.Msn));
                tally.Refused.Add(new SkippedMessage(message.Msn, message.Size,
                    $"refused: the server sent more than the {message.Size} octets LIST announced (limit {Pop3Client.MessageCap(message.Size)})"));
                throw;
            }
            catch (MailCommandException exception) when (exception.Command == "RETR")
            {
                options.Progress?.Notice(account, $"message {message.Msn} could not be retrieved: {exception.ServerText}");
                continue;
            }

            if (saved.Stored)
            {
                downloaded++;
                tally.Downloaded++;
                tally.Octets += saved.Entry.Size;
                options.Progress?.MessageStored(account, saved.Entry.Size);
            }
            else
            {
                tally.AlreadyDownloaded++;
            }

            if (saver.ShouldDelete(saved.Entry))
            {
                toDelete.Add(message.Msn);
            }
        }

        var marked = 0;
        if (toDelete.Count > 0)
        {
            var refusals = await client.DeleteManyAsync(toDelete, cancellationToken);
            marked = refusals.Count(r => r is null);
            foreach (var refusal in refusals.OfType<MailCommandException>())
            {
                options.Progress?.Notice(account, $"the server refused a DELE: {refusal.ServerText}");
            }
        }

        await saver.FaultAsync(FetchPoint.BeforeQuit, cancellationToken);
        await client.QuitAsync(cancellationToken);
        tally.Deleted += marked;

        if (uidls is not null && account.Limit is null)
        {
            // Entries of messages no longer on the server are of no use any more (deleted here or elsewhere).
            await saver.ForgetMissingAsync(uidls.Values.ToHashSet(StringComparer.Ordinal), cancellationToken);
        }
    }

    private static async Task<Dictionary<int, string>?> TryUidlAsync(Pop3Client client, CancellationToken cancellationToken)
    {
        try
        {
            return (await client.UidlAsync(cancellationToken)).ToDictionary(u => u.Msn, u => u.Uidl);
        }
        catch (MailCommandException)
        {
            // No UIDL: messages are recognised by their content hash, which needs a download each time.
            return null;
        }
    }

    /// <summary>How a message that overran is known across reconnections: its UIDL, else its number (nothing was deleted).</summary>
    private static string OverrunKey(string? uidl, int msn) => uidl ?? $"#{msn}";

    private static async Task<string> SummarizeAsync(Pop3Client client, int msn, long size, CancellationToken cancellationToken)
    {
        if (!client.Capabilities.Top && client.Capabilities.Names.Any())
        {
            return "(no TOP on this server)";
        }

        try
        {
            using var header = new MemoryStream();
            await client.TopAsync(msn, 0, new CappedStream(header, HeaderSummary.MaxHeaderOctets), Pop3Client.MessageCap(size), cancellationToken);
            return HeaderSummary.Summarize(header.GetBuffer().AsSpan(0, (int)header.Length));
        }
        catch (MailCommandException)
        {
            return "(TOP refused)";
        }
    }

    private readonly record struct FetchStateEntryResult(State.FetchStateEntry Entry, bool Stored);
}
