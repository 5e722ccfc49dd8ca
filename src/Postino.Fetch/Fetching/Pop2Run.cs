using Postino.Fetch.Pop2;
using Postino.Fetch.Protocol;

namespace Postino.Fetch.Fetching;

/// <summary>
/// One POP2 session of a fetch. POP2 has no UIDL, so every message is downloaded and recognised by its content hash;
/// ACKS keeps it, ACKD (only once it is stored) deletes it at QUIT.
/// </summary>
internal sealed class Pop2Run(FetchAccount account, FetchOptions options, MessageSaver saver, RunTally tally)
{
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var connectionOptions = new MailConnectionOptions { Trace = options.Trace, Timeout = options.Timeout, TimeProvider = options.TimeProvider };
        await using var client = await Pop2Client.ConnectAsync(account.Host, account.Port, account.Tls, account.TlsOptions, connectionOptions, cancellationToken);
        var password = await PasswordUnavailableException.GetAsync(account, cancellationToken);
        var count = await client.HeloAsync(account.User, password, cancellationToken);
        if (account.Pop2Folder is { Length: > 0 } folder)
        {
            count = await client.FoldAsync(folder, cancellationToken);
        }

        foreach (var notice in await saver.RecoverAsync(cancellationToken))
        {
            options.Progress?.Notice(account, notice);
        }

        options.Progress?.Started(account, count, 0);
        var keysOnServer = new HashSet<string>(StringComparer.Ordinal);
        var downloaded = 0;
        var examinedAll = true;
        var marked = 0;
        for (var msn = 1; msn <= count; msn++)
        {
            var length = await client.ReadAsync(msn, cancellationToken);
            if (length == 0)
            {
                continue;
            }

            if (account.MaxSize is { } maxSize && length > maxSize)
            {
                tally.Skipped.Add(new SkippedMessage(msn, length, "(POP2 has no TOP)"));
                examinedAll = false;
                continue;
            }

            if (account.Limit is { } limit && downloaded >= limit)
            {
                tally.LeftForLater = count - msn + 1;
                examinedAll = false;
                break;
            }

            var (entry, stored) = await saver.SaveAsync(null, (stream, ct) => client.RetrieveAsync(length, stream, ct), cancellationToken);
            keysOnServer.Add(entry.Key);
            if (stored)
            {
                downloaded++;
                tally.Downloaded++;
                tally.Octets += entry.Size;
                options.Progress?.MessageStored(account, entry.Size);
            }
            else
            {
                tally.AlreadyDownloaded++;
            }

            if (saver.ShouldDelete(entry))
            {
                await client.AckdAsync(cancellationToken);
                marked++;
            }
            else
            {
                await client.AcksAsync(cancellationToken);
            }
        }

        await saver.FaultAsync(FetchPoint.BeforeQuit, cancellationToken);
        await client.QuitAsync(cancellationToken);
        tally.Deleted += marked;
        if (examinedAll)
        {
            await saver.ForgetMissingAsync(keysOnServer, cancellationToken);
        }
    }
}
