using System.Globalization;
using Postino.Fetch.Destinations;
using Postino.Fetch.Durability;
using Postino.Fetch.State;

namespace Postino.Fetch.Fetching;

/// <summary>
/// The never-lose, never-duplicate sequence for one message: download into the destination's pending area, record
/// "pending" with the destination's marker, commit (durable), record "stored". Only a stored message may be deleted
/// from the server. After a crash, <see cref="RecoverAsync"/> settles pending entries by asking the destination.
/// </summary>
internal sealed class MessageSaver(FetchStateFile stateFile, FetchAccount account, FetchOptions options)
{
    private readonly Dictionary<string, int> _copiesSeen = new(StringComparer.Ordinal);

    private FetchState State => stateFile.State;

    /// <summary>The entry for a server key when that message is already stored (and <c>--all</c> is off).</summary>
    public FetchStateEntry? FindStored(string key) =>
        !account.All && State.Find(key) is { Status: FetchEntryStatus.Stored } entry ? entry : null;

    /// <summary>True when the message behind <paramref name="entry"/> should now be deleted from the server.</summary>
    public bool ShouldDelete(FetchStateEntry entry) => account.Mode switch
    {
        FetchMode.Delete => true,
        FetchMode.KeepDays => options.TimeProvider.GetUtcNow() - entry.FirstDownloaded >= TimeSpan.FromDays(account.KeepDays),
        _ => false,
    };

    /// <summary>Settles entries left pending by a crash; returns the notices for the user.</summary>
    public async Task<IReadOnlyList<string>> RecoverAsync(CancellationToken cancellationToken)
    {
        var notices = new List<string>();
        foreach (var entry in State.Entries.Where(e => e.Status == FetchEntryStatus.Pending).ToList())
        {
            var delivered = entry.Marker is null ? null : await account.Destination.WasDeliveredAsync(entry.Marker, cancellationToken);
            if (delivered == true)
            {
                entry.Status = FetchEntryStatus.Stored;
                entry.Marker = null;
                notices.Add($"an interrupted delivery ({entry.Key}) had completed; recorded it");
            }
            else
            {
                State.Remove(entry.Key);
                notices.Add(delivered == false
                    ? $"an interrupted delivery ({entry.Key}) had not completed; it will be downloaded again"
                    : $"an interrupted delivery ({entry.Key}) cannot be checked at {account.Destination.Description}; it will be delivered again");
            }
        }

        if (notices.Count > 0)
        {
            await stateFile.SaveAsync(cancellationToken);
        }

        return notices;
    }

    /// <summary>
    /// Downloads one message with <paramref name="download"/> and stores it. <paramref name="key"/> is its UIDL, or
    /// null when the server has none (the content hash then identifies it). Returns the state entry and whether it
    /// was new; a message recognised by its hash as already stored is thrown away, not stored twice.
    /// </summary>
    public async Task<(FetchStateEntry Entry, bool Stored)> SaveAsync(string? key, Func<Stream, CancellationToken, Task> download,
        CancellationToken cancellationToken)
    {
        await using var pending = await account.Destination.BeginAsync(cancellationToken);
        await using var hashing = new HashingStream(pending.Content);
        await download(hashing, cancellationToken);
        var hash = hashing.HashHex();
        key ??= ContentKey(hash);
        if (FindStored(key) is { } known)
        {
            return (known, false);
        }

        await FaultAsync(FetchPoint.Downloaded, cancellationToken);
        var marker = await pending.PrepareAsync(cancellationToken);
        var entry = new FetchStateEntry
        {
            Key = key,
            Sha256 = hash,
            Size = hashing.Count,
            FirstDownloaded = State.Find(key)?.FirstDownloaded ?? options.TimeProvider.GetUtcNow(),
            Status = FetchEntryStatus.Pending,
            Marker = marker,
        };
        State.Set(entry);
        await stateFile.SaveAsync(cancellationToken);
        await FaultAsync(FetchPoint.PendingRecorded, cancellationToken);

        await pending.CommitAsync(cancellationToken);
        await FaultAsync(FetchPoint.Committed, cancellationToken);

        entry.Status = FetchEntryStatus.Stored;
        entry.Marker = null;
        await stateFile.SaveAsync(cancellationToken);
        await FaultAsync(FetchPoint.StoredRecorded, cancellationToken);
        return (entry, true);
    }

    /// <summary>Forgets stored messages that are no longer on the server.</summary>
    public async Task ForgetMissingAsync(IReadOnlySet<string> keysOnServer, CancellationToken cancellationToken)
    {
        if (State.ForgetAllExcept(keysOnServer) > 0)
        {
            await stateFile.SaveAsync(cancellationToken);
        }
    }

    public Task FaultAsync(FetchPoint point, CancellationToken cancellationToken) =>
        options.FaultInjection?.Invoke(point, cancellationToken) ?? Task.CompletedTask;

    /// <summary>Identifies a message without UIDL: its hash plus which identical copy it is in this session.</summary>
    private string ContentKey(string hash)
    {
        var copy = _copiesSeen.GetValueOrDefault(hash) + 1;
        _copiesSeen[hash] = copy;
        return string.Create(CultureInfo.InvariantCulture, $"sha256:{hash}#{copy}");
    }
}
