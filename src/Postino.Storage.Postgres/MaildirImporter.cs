using Npgsql;
using Postino.Storage.Maildir;
using Postino.Storage.Users;

namespace Postino.Storage.Postgres;

/// <summary>
/// Copies users and mailboxes from a Maildir store into PostgreSQL (<c>postino store import</c>): the users' lines
/// (password, settings) when a users file is given, and every message of the INBOX and of each POP2 folder with its
/// UIDL, wire size, arrival time and first-retrieval time, so POP clients that keep mail see nothing new. Each message
/// is its own transaction and messages whose UIDL is already there are skipped, so an interrupted import is finished
/// by running it again. The source is read under its session lock (a mailbox in use is reported and skipped).
/// </summary>
public sealed class MaildirImporter(PostgresMailStore target, PostgresUserDirectory targetUsers, MaildirStore source, string sourceRoot)
{
    /// <summary>What happened to one user.</summary>
    public sealed record UserReport(string User, int Imported, int AlreadyThere, bool UserAdded, string? Problem);

    /// <summary>Progress of one folder: messages done of total.</summary>
    public sealed record Progress(string User, string Folder, int Done, int Total);

    /// <summary>Imports <paramref name="user"/>; <paramref name="record"/> is its users-file line, if any.</summary>
    public async Task<UserReport> ImportUserAsync(
        string user, UserRecord? record, IProgress<Progress>? progress, CancellationToken cancellationToken)
    {
        var added = record is not null
            && await targetUsers.FindAsync(user, cancellationToken) is null
            && await targetUsers.AddAsync(record, cancellationToken);
        var root = await source.GetMaildirPathAsync(user, cancellationToken);
        if (!Directory.Exists(root))
        {
            return new UserReport(user, 0, 0, added, null);
        }

        int imported = 0, present = 0;
        try
        {
            foreach (var folder in FoldersOf(root))
            {
                var (newOnes, old) = await ImportFolderAsync(user, folder, progress, cancellationToken);
                imported += newOnes;
                present += old;
            }
        }
        catch (MailboxInUseException)
        {
            return new UserReport(user, imported, present, added, "a session holds the mailbox; run the import again later");
        }

        return new UserReport(user, imported, present, added, null);
    }

    /// <summary>The users of the source: the folders under its root that hold a Maildir.</summary>
    public IReadOnlyList<string> UsersOnDisk() => Directory.Exists(sourceRoot)
        ? [.. Directory.GetDirectories(sourceRoot).Select(Path.GetFileName).Where(n => Directory.Exists(Path.Combine(sourceRoot, n!, "Maildir"))).Order(StringComparer.Ordinal)!]
        : [];

    private static IEnumerable<string> FoldersOf(string root)
    {
        yield return Folders.Inbox;
        foreach (var directory in Directory.GetDirectories(root, ".*").Order(StringComparer.Ordinal))
        {
            var name = Path.GetFileName(directory)[1..];
            if (Folders.Normalize(name) == name && Directory.Exists(Path.Combine(directory, "cur")))
            {
                yield return name;
            }
        }
    }

    private async Task<(int Imported, int Present)> ImportFolderAsync(
        string user, string folder, IProgress<Progress>? progress, CancellationToken cancellationToken)
    {
        await using var maildrop = await source.OpenAsync(user, folder, cancellationToken);
        await target.CreateFolderAsync(user, Folders.Inbox, cancellationToken);
        await target.CreateFolderAsync(user, folder, cancellationToken);
        var existing = await UidlsAsync(user, folder, cancellationToken);
        int imported = 0, present = 0;
        for (var index = 0; index < maildrop.Messages.Count; index++)
        {
            var message = maildrop.Messages[index];
            if (existing.Contains(message.Uidl))
            {
                present++;
            }
            else
            {
                await using var body = await maildrop.OpenMessageAsync(index, cancellationToken);
                await target.ImportAsync(user, folder, message.Uidl, message.ReceivedAt, message.FirstRetrievedAt, body, cancellationToken);
                imported++;
            }

            progress?.Report(new Progress(user, folder, index + 1, maildrop.Messages.Count));
        }

        return (imported, present);
    }

    private async Task<HashSet<string>> UidlsAsync(string user, string folder, CancellationToken cancellationToken)
    {
        await using var command = target.DataSource.CreateCommand("SELECT uidl FROM postino_messages WHERE user_name = $1 AND folder = $2");
        command.Parameters.Add(new NpgsqlParameter { Value = user });
        command.Parameters.Add(new NpgsqlParameter { Value = folder });
        return await Db.RunAsync(async () =>
        {
            var uidls = new HashSet<string>(StringComparer.Ordinal);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                uidls.Add(reader.GetString(0));
            }

            return uidls;
        });
    }
}
