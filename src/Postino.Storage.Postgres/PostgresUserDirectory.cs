using System.Text.Json;
using System.Text.Json.Serialization;
using Npgsql;
using Postino.Storage.Retention;
using Postino.Storage.Users;
using Postino.Storage.Users.Schemes;

namespace Postino.Storage.Postgres;

/// <summary>
/// Users and their settings in the <c>postino_users</c> table, with the fields of a passwd-file line (the extra
/// <c>key=value</c> fields, Postino's settings among them, kept in order as a JSON array of pairs). Every lookup is
/// one primary-key query, so an edit on any node applies at the next login everywhere.
/// </summary>
public sealed class PostgresUserDirectory(PostgresDatabase database, PasswordSchemeRegistry? schemes = null) : IUserStore, IUserLister
{
    private const string Columns = "user_name, password, uid, gid, gecos, home, shell, extra";
    private readonly PasswordSchemeRegistry _schemes = schemes ?? PasswordSchemeRegistry.Default;

    public string Location => database.Description;

    public async ValueTask<UserRecord?> FindAsync(string name, CancellationToken cancellationToken)
    {
        if (!UserName.IsValid(name))
        {
            return null;
        }

        await using var command = database.Pool.CreateCommand($"SELECT {Columns} FROM postino_users WHERE user_name = $1");
        command.Parameters.Add(new NpgsqlParameter { Value = name });
        var users = await ReadAsync(command, cancellationToken);
        return users.Count == 0 ? null : users[0];
    }

    public async Task<IReadOnlyList<UserRecord>> ListAsync(CancellationToken cancellationToken)
    {
        await using var command = database.Pool.CreateCommand($"SELECT {Columns} FROM postino_users ORDER BY user_name");
        return await ReadAsync(command, cancellationToken);
    }

    public async ValueTask<IReadOnlyList<string>> ListUserNamesAsync(CancellationToken cancellationToken) =>
        [.. (await ListAsync(cancellationToken)).Select(u => u.Name)];

    public async Task<bool> AddAsync(UserRecord user, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        UserName.EnsureValid(user.Name);
        EnsurePasswordUsable(user);
        await using var command = database.Pool.CreateCommand(
            $"INSERT INTO postino_users ({Columns}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (user_name) DO NOTHING");
        AddValues(command, user);
        return await Db.RunAsync(() => command.ExecuteNonQueryAsync(cancellationToken)) == 1;
    }

    public async Task<bool> UpdateAsync(string name, Func<UserRecord, UserRecord> change, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(change);
        return await Db.RunAsync(async () =>
        {
            await using var connection = await database.Pool.OpenConnectionAsync(cancellationToken);
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            await using var select = new NpgsqlCommand($"SELECT {Columns} FROM postino_users WHERE user_name = $1 FOR UPDATE", connection, transaction);
            select.Parameters.Add(new NpgsqlParameter { Value = name });
            var found = await ReadAsync(select, cancellationToken);
            if (found.Count == 0)
            {
                return false;
            }

            var changed = change(found[0]);
            if (changed.Name != name)
            {
                throw new ArgumentException("an update cannot rename the user", nameof(change));
            }

            EnsurePasswordUsable(changed);
            await using var update = new NpgsqlCommand(
                "UPDATE postino_users SET password = $2, uid = $3, gid = $4, gecos = $5, home = $6, shell = $7, extra = $8 WHERE user_name = $1",
                connection,
                transaction);
            AddValues(update, changed);
            await update.ExecuteNonQueryAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return true;
        });
    }

    /// <summary>Removes the user; the mailbox stays (as with the users file), until removed with the user's mail.</summary>
    public async Task<bool> RemoveAsync(string name, CancellationToken cancellationToken)
    {
        await using var command = database.Pool.CreateCommand("DELETE FROM postino_users WHERE user_name = $1");
        command.Parameters.Add(new NpgsqlParameter { Value = name });
        return await Db.RunAsync(() => command.ExecuteNonQueryAsync(cancellationToken)) == 1;
    }

    private void EnsurePasswordUsable(UserRecord user)
    {
        if (user.Password.Length > 0 && _schemes.Validate(user.Password) is { } problem)
        {
            throw new ArgumentException($"user {user.Name}: {problem}", nameof(user));
        }
    }

    private static void AddValues(NpgsqlCommand command, UserRecord user)
    {
        foreach (var value in new[] { user.Name, user.Password, user.Uid, user.Gid, user.Gecos, user.Home, user.Shell })
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value });
        }

        var pairs = user.Extra.Select(p => new[] { p.Key, p.Value }).ToArray();
        command.Parameters.Add(new NpgsqlParameter { Value = JsonSerializer.Serialize(pairs, ExtraFieldsJson.Default.StringArrayArray), NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Jsonb });
    }

    private static async Task<List<UserRecord>> ReadAsync(NpgsqlCommand command, CancellationToken cancellationToken) =>
        await Db.RunAsync(async () =>
        {
            var users = new List<UserRecord>();
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                var extra = new OrderedDictionary<string, string>(StringComparer.Ordinal);
                foreach (var pair in JsonSerializer.Deserialize(reader.GetString(7), ExtraFieldsJson.Default.StringArrayArray) ?? [])
                {
                    extra[pair[0]] = pair[1];
                }

                users.Add(new UserRecord(
                    reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3),
                    reader.GetString(4), reader.GetString(5), reader.GetString(6), extra));
            }

            return users;
        });
}

/// <summary>
/// The <c>extra</c> column's JSON (<c>[["key","value"], ...]</c>) by generated code, not reflection, so the NativeAOT
/// one-shot programs read users as the server does; default options, the same text as the reflection serializer.
/// </summary>
[JsonSerializable(typeof(string[][]))]
internal sealed partial class ExtraFieldsJson : JsonSerializerContext;
