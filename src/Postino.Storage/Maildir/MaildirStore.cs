using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Postino.Storage.Threading;
using Postino.Storage.Users;

namespace Postino.Storage.Maildir;

/// <summary>
/// The Maildir mail store: one Maildir per user (see <see cref="MaildirLocator"/>), Maildir++ subfolders for POP2 FOLD,
/// a per-folder index for UIDLs, sizes and retrieval times, and a per-folder OS lock for sessions (one byte of the store's <see cref="MaildirLockFile"/>).
/// </summary>
public sealed class MaildirStore : IMailStore, IMailboxPresence
{
    private readonly MaildirLocator _locator;
    private readonly IUserDirectory? _users;
    private readonly IMailboxQuotaSource? _quotas;
    private readonly IRetentionAtCommit? _retention;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly MessageFileReader _files = new();
    private readonly DirectoryLister _lister = new();
    private readonly MaildirLockFile _locks;
    private readonly MaildirDelivery _delivery;
    private readonly TemporaryFileSweep _sweep;

    /// <param name="options">where the Maildirs are.</param>
    /// <param name="users">the user directory, for home folders (null: no homes, every Maildir under the data folder).</param>
    /// <param name="quotas">per-user quotas checked at delivery (null: unlimited).</param>
    /// <param name="retention">decides at open whether a session's commit deletes retrieved messages (null: never).</param>
    /// <param name="time">the clock for retrieval and arrival times (null: the system clock).</param>
    /// <param name="logger">warnings (index rebuilt) and errors.</param>
    public MaildirStore(
        MaildirStoreOptions options,
        IUserDirectory? users = null,
        IMailboxQuotaSource? quotas = null,
        IRetentionAtCommit? retention = null,
        TimeProvider? time = null,
        ILogger<MaildirStore>? logger = null)
    {
        _locator = new MaildirLocator(options);
        _users = users;
        _quotas = quotas;
        _retention = retention;
        _time = time ?? TimeProvider.System;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _delivery = new MaildirDelivery(options.HostName, _time);
        _locks = MaildirLockFile.ForDataDirectory(options.DataDirectory);
        _sweep = new TemporaryFileSweep(_time);
    }

    /// <summary>How many message files this store has opened (to prove that an indexed login opens none).</summary>
    internal long MessageFileOpens => _files.Opens;

    /// <summary>How many times this store has listed <c>new/</c> or <c>cur/</c> (to prove that a warm login lists none).</summary>
    internal long DirectoryListings => _lister.Listings;

    /// <summary>Big folders' parsed indexes, kept for the next warm login (tests give it a lower threshold).</summary>
    internal MaildirIndexCache IndexCache { get; init; } = new();

    /// <summary>Whether cold logins may measure sizes through io_uring (off: tests of the one-by-one path).</summary>
    internal bool BatchedReads { get; init; } = true;

    /// <summary>Deliveries into this store (tests replace it to control the sync of <c>new/</c>).</summary>
    internal MaildirDelivery Delivery { get => _delivery; init => _delivery = value; }

    /// <summary>The store's mailbox lock file (one descriptor for every lock this store holds).</summary>
    internal MaildirLockFile Locks => _locks;

    /// <summary>Takes the lock of a Maildir folder of this store, or null when another session or process holds it.</summary>
    internal MaildirLock? TryLock(string maildir) => MaildirLock.TryAcquire(maildir, _locks);

    /// <summary>The root of a user's Maildir (the INBOX), whether or not it exists yet.</summary>
    public async ValueTask<string> GetMaildirPathAsync(string user, CancellationToken cancellationToken)
    {
        var home = _users is null ? null : (await _users.FindAsync(user, cancellationToken))?.Home;
        return _locator.Resolve(user, home);
    }

    public async ValueTask<bool> HasMailboxAsync(string user, CancellationToken cancellationToken)
    {
        var path = await GetMaildirPathAsync(user, cancellationToken);
        await OffEventLoop.Yield();
        return Directory.Exists(path);
    }

    public async ValueTask<IMaildrop> OpenAsync(string user, string? folder, CancellationToken cancellationToken) =>
        await OpenMaildirAsync(user, folder, cancellationToken);

    /// <summary>The same as <see cref="OpenAsync"/>, typed for callers that need the Maildir specifics (the sweeper).</summary>
    public async ValueTask<MaildirMaildrop> OpenMaildirAsync(string user, string? folder, CancellationToken cancellationToken)
    {
        var root = await GetMaildirPathAsync(user, cancellationToken);
        var path = MaildirLocator.FolderPath(root, folder) ?? throw new MailboxNotFoundException(user, folder ?? "INBOX");
        var maildir = new MaildirFolder(path);

        // On a socket's event thread, only a folder whose names the kernel's caches hold (it was opened lately) is
        // opened here: its checks, its lock (one fcntl) and its stamps wait for no disk, and an index read that would is
        // moved by the read itself (FixedLengthFileStream), a move of new mail or a listing by the loader. Anything else
        // (a folder to create, a lock file to open, a name to look up on the disk, a first login without an index)
        // moves to the pool first.
        if (OffEventLoop.IsEventThread && !IsWarm(maildir))
        {
            await OffEventLoop.Yield();
        }

        var retention = _retention is null ? null : await _retention.ResolveAsync(user, cancellationToken);
        MaildirLock? mailboxLock = null;
        try
        {
            if (path == root)
            {
                maildir.Create();
            }
            else if (!maildir.Exists)
            {
                throw new MailboxNotFoundException(user, folder!);
            }

            mailboxLock = TryLock(path) ?? throw new MailboxInUseException(user);
            var snapshot = await new MaildirSnapshotLoader(_files, _lister, _logger, _sweep, IndexCache, BatchedReads).LoadAsync(user, maildir, cancellationToken);
            return new MaildirMaildrop(user, maildir, mailboxLock, snapshot, _files, _time, _logger, retention);
        }
        catch (Exception exception)
        {
            mailboxLock?.Dispose();
            if (exception is IOException or UnauthorizedAccessException)
            {
                throw new StorageException($"cannot open the mailbox of {user}", exception);
            }

            throw;
        }
    }

    public async ValueTask<DeliveryResult> DeliverAsync(string user, Stream message, CancellationToken cancellationToken)
    {
        var target = await PrepareAsync(user, cancellationToken);
        return await _delivery.DeliverAsync(user, target.Folder, message, target.Quota, cancellationToken);
    }

    /// <summary>
    /// Several recipients: the message is written and fsynced once and hard-linked into each Maildir
    /// (<see cref="MaildirDelivery"/>), their <c>new/</c> syncs run together; a recipient a link cannot reach (another
    /// file system) gets a copy of its own, as does everyone when the shared write fails.
    /// </summary>
    public async ValueTask<IReadOnlyList<RecipientDelivery>> DeliverAsync(
        IReadOnlyList<string> users, IMessageSource message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(users);
        ArgumentNullException.ThrowIfNull(message);
        if (users.Count < 2 || !Files.UnixNative.IsSupported)
        {
            return await RecipientDelivery.OneByOneAsync(this, users, message, cancellationToken);
        }

        var outcomes = new RecipientDelivery?[users.Count];
        var targets = new List<MaildirTarget>(users.Count);
        var positions = new List<int>(users.Count);
        for (var i = 0; i < users.Count; i++)
        {
            try
            {
                targets.Add(await PrepareAsync(users[i], cancellationToken));
                positions.Add(i);
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                outcomes[i] = new RecipientDelivery(users[i], null, exception);
            }
        }

        if (targets.Count > 1)
        {
            try
            {
                await using var stream = await message.OpenReadAsync(cancellationToken);
                var linked = await _delivery.DeliverLinkedAsync(targets, stream, cancellationToken);
                for (var n = 0; n < linked.Length; n++)
                {
                    if (linked[n] is { Result: not null } or { Failure: not null })
                    {
                        outcomes[positions[n]] = new RecipientDelivery(users[positions[n]], linked[n].Result, linked[n].Failure);
                    }
                }
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                // Nothing was named anywhere: each recipient gets a copy of its own below.
                _logger.LogWarning(exception, "Shared write for {Count} recipients failed; delivering one copy each", targets.Count);
            }
        }

        for (var i = 0; i < users.Count; i++)
        {
            outcomes[i] ??= (await RecipientDelivery.OneByOneAsync(this, [users[i]], message, cancellationToken))[0];
        }

        return outcomes!;
    }

    private bool IsWarm(MaildirFolder maildir) =>
        _locks.IsOpen
        && Files.CachedLookup.AllCached(maildir.Cur, maildir.New, maildir.Tmp, Path.Combine(maildir.Root, MaildirIndexFile.FileName));

    /// <summary>The user's inbox folder (created when missing) and quota.</summary>
    private async ValueTask<MaildirTarget> PrepareAsync(string user, CancellationToken cancellationToken)
    {
        // Every delivery starts here: folders made, then files written and fsynced, never on a socket's event thread.
        await OffEventLoop.Yield();
        var root = await GetMaildirPathAsync(user, cancellationToken);
        var maildir = new MaildirFolder(root);
        var quota = _quotas is null ? MailboxQuota.Unlimited : await _quotas.GetQuotaAsync(user, cancellationToken);
        try
        {
            maildir.Create();
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            throw new StorageException($"cannot create the mailbox of {user}", exception);
        }

        return new MaildirTarget(user, maildir, quota);
    }
}
