using Berth.Core.Paging;
using Berth.Storage.Sqlite;
using Microsoft.Data.Sqlite;

namespace Berth.Storage;

/// <summary>Sessions and their event logs.</summary>
public sealed class SessionStore(SqliteDatabase database)
{
    private const string Columns =
        "id, account, environment_id, environment_version, config, config_hash, status, title, metadata, agent, " +
        "environment_variables, resources, timeout_seconds, container_id, error, expires_at, created_at, updated_at, terminated_at";

    /// <summary>Stores a new session and its first event together.</summary>
    public Task InsertAsync(StoredSession session, StoredEvent created, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(session);

        return database.WriteAsync(async connection =>
        {
            var insert = connection.Command(
                $"""
                INSERT INTO sessions ({Columns}) VALUES ($id, $account, $environment, $version, $config, $hash,
                    $status, $title, $metadata, $agent, $variables, $resources, $timeout, $container, $error,
                    $expires, $created, $updated, $terminated)
                """);
            await Bind(insert, session).ExecuteNonQueryAsync(cancellationToken);
            await InsertEventAsync(connection, created, cancellationToken);

            return true;
        }, cancellationToken);
    }

    public Task<StoredSession?> GetAsync(string id, CancellationToken cancellationToken) =>
        database.ReadAsync(async connection =>
        {
            var command = connection.Command($"SELECT {Columns} FROM sessions WHERE id = $id").With("$id", id);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);

            return await reader.ReadAsync(cancellationToken) ? Read(reader) : null;
        }, cancellationToken);

    public Task<Page<StoredSession>> ListAsync(
        string account, PageRequest page, string? environmentId, string? status, bool includeTerminated,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(page);
        var conditions = new SqlConditions().Add("account = $account", "$account", account);
        if (environmentId is not null)
        {
            conditions.Add("environment_id = $environment", "$environment", environmentId);
        }

        if (status is not null)
        {
            conditions.Add("status = $status", "$status", status);
        }
        else if (!includeTerminated)
        {
            conditions.Add("status <> 'terminated'");
        }

        var sql = $"SELECT {Columns} FROM sessions" + PageQuery.Apply(page, conditions);

        return database.ReadAsync(async connection =>
        {
            var command = conditions.BindTo(connection.Command(sql));

            return PageQuery.Finish(page, await ReadAllAsync(command, cancellationToken));
        }, cancellationToken);
    }

    /// <summary>Sessions that still have, or are getting, a sandbox.</summary>
    public Task<IReadOnlyList<StoredSession>> ListLiveAsync(CancellationToken cancellationToken) =>
        database.ReadAsync<IReadOnlyList<StoredSession>>(async connection =>
        {
            var command = connection.Command(
                $"SELECT {Columns} FROM sessions WHERE status IN ('provisioning', 'idle', 'running') ORDER BY id");

            return await ReadAllAsync(command, cancellationToken);
        }, cancellationToken);

    /// <summary>Whether a session that is not over uses the environment.</summary>
    public Task<bool> AnyLiveForEnvironmentAsync(string environmentId, CancellationToken cancellationToken) =>
        database.ReadAsync(async connection =>
        {
            var command = connection.Command(
                "SELECT EXISTS (SELECT 1 FROM sessions WHERE environment_id = $id AND status IN ('provisioning', 'idle', 'running'))")
                .With("$id", environmentId);

            return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture) == 1;
        }, cancellationToken);

    /// <summary>
    /// Reads the session, lets <paramref name="change"/> decide its next state (null: leave it),
    /// and writes it with the events the change brings, in one transaction.
    /// </summary>
    public Task<StoredSession?> UpdateAsync(
        string id,
        Func<StoredSession, (StoredSession Next, IReadOnlyList<StoredEvent> Events)?> change,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(change);

        return database.WriteAsync(async connection =>
        {
            var select = connection.Command($"SELECT {Columns} FROM sessions WHERE id = $id").With("$id", id);
            var rows = await ReadAllAsync(select, cancellationToken);
            if (rows.Count == 0)
            {
                return null;
            }

            var outcome = change(rows[0]);
            if (outcome is null)
            {
                return rows[0];
            }

            var (next, events) = outcome.Value;
            var update = connection.Command(
                """
                UPDATE sessions SET status = $status, title = $title, metadata = $metadata, container_id = $container,
                    error = $error, expires_at = $expires, updated_at = $updated, terminated_at = $terminated
                WHERE id = $id
                """);
            await Bind(update, next).ExecuteNonQueryAsync(cancellationToken);
            foreach (var entry in events)
            {
                await InsertEventAsync(connection, entry, cancellationToken);
            }

            return next;
        }, cancellationToken);
    }

    public Task<bool> DeleteAsync(string id, CancellationToken cancellationToken) =>
        database.WriteAsync(async connection =>
        {
            var events = connection.Command("DELETE FROM session_events WHERE session_id = $id").With("$id", id);
            await events.ExecuteNonQueryAsync(cancellationToken);
            var decisions = connection.Command("DELETE FROM egress_decisions WHERE session_id = $id").With("$id", id);
            await decisions.ExecuteNonQueryAsync(cancellationToken);
            var delete = connection.Command("DELETE FROM sessions WHERE id = $id").With("$id", id);

            return await delete.ExecuteNonQueryAsync(cancellationToken) > 0;
        }, cancellationToken);

    public Task AppendEventsAsync(IReadOnlyList<StoredEvent> events, CancellationToken cancellationToken) =>
        database.WriteAsync(async connection =>
        {
            foreach (var entry in events)
            {
                await InsertEventAsync(connection, entry, cancellationToken);
            }

            return true;
        }, cancellationToken);

    /// <summary>
    /// A page of a session's events; <paramref name="ascending"/> turns the order oldest first, and
    /// <paramref name="typePrefix"/> keeps only the types that start with it (<c>egress.</c>).
    /// </summary>
    public Task<Page<StoredEvent>> ListEventsAsync(
        string sessionId, PageRequest page, bool ascending, string? typePrefix, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(page);
        var conditions = new SqlConditions().Add("session_id = $session", "$session", sessionId);
        if (typePrefix is not null)
        {
            conditions.Add("substr(type, 1, length($typePrefix)) = $typePrefix", "$typePrefix", typePrefix);
        }

        var sql = "SELECT id, session_id, type, data, created_at FROM session_events"
            + PageQuery.Apply(page, conditions, ascending);

        return database.ReadAsync(async connection =>
        {
            var command = conditions.BindTo(connection.Command(sql));
            var rows = new List<StoredEvent>();
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                rows.Add(new StoredEvent(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.ReadTime(4)));
            }

            return PageQuery.Finish(page, rows);
        }, cancellationToken);
    }

    private static async Task InsertEventAsync(
        PreparedConnection connection, StoredEvent entry, CancellationToken cancellationToken)
    {
        var insert = connection.Command(
            "INSERT INTO session_events (id, session_id, type, data, created_at) VALUES ($id, $session, $type, $data, $created)")
            .With("$id", entry.Id).With("$session", entry.SessionId).With("$type", entry.Type)
            .With("$data", entry.DataJson).With("$created", entry.CreatedAt);
        await insert.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task<List<StoredSession>> ReadAllAsync(SqliteCommand command, CancellationToken cancellationToken)
    {
        var rows = new List<StoredSession>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(Read(reader));
        }

        return rows;
    }

    private static SqliteCommand Bind(SqliteCommand command, StoredSession session) =>
        command.With("$id", session.Id).With("$account", session.Account).With("$environment", session.EnvironmentId)
            .With("$version", session.EnvironmentVersion).With("$config", session.ConfigJson).With("$hash", session.ConfigHash)
            .With("$status", session.Status).With("$title", session.Title).With("$metadata", session.MetadataJson)
            .With("$agent", session.Agent).With("$variables", session.EnvironmentVariablesJson)
            .With("$resources", session.ResourcesJson).With("$timeout", session.TimeoutSeconds)
            .With("$container", session.ContainerId).With("$error", session.ErrorJson).With("$expires", session.ExpiresAt)
            .With("$created", session.CreatedAt).With("$updated", session.UpdatedAt).With("$terminated", session.TerminatedAt);

    private static StoredSession Read(SqliteDataReader reader) => new(
        reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetInt32(3), reader.GetString(4),
        reader.GetString(5), reader.GetString(6), reader.ReadOptionalString(7), reader.GetString(8),
        reader.ReadOptionalString(9), reader.GetString(10), reader.ReadOptionalString(11), reader.GetInt32(12),
        reader.ReadOptionalString(13), reader.ReadOptionalString(14), reader.ReadTime(15), reader.ReadTime(16),
        reader.ReadTime(17), reader.ReadOptionalTime(18));
}
