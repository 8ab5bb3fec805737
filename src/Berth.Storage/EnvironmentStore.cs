using Berth.Core.Paging;
using Berth.Storage.Sqlite;
using Microsoft.Data.Sqlite;

namespace Berth.Storage;

/// <summary>Environments and their configuration versions.</summary>
public sealed class EnvironmentStore(SqliteDatabase database)
{
    private const string Columns =
        "id, account, name, description, config, metadata, version, archived_at, created_at, updated_at";

    private const string SelectOne = $"SELECT {Columns} FROM environments WHERE id = $id AND account = $account";

    public Task InsertAsync(StoredEnvironment environment, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(environment);

        return database.WriteAsync(async connection =>
        {
            var insert = connection.Command(
                $"""
                INSERT INTO environments ({Columns})
                VALUES ($id, $account, $name, $description, $config, $metadata, $version, $archived, $created, $updated)
                """);
            await Bind(insert, environment).ExecuteNonQueryAsync(cancellationToken);
            await InsertVersionAsync(connection, environment, cancellationToken);

            return true;
        }, cancellationToken);
    }

    public Task<StoredEnvironment?> GetAsync(string account, string id, CancellationToken cancellationToken) =>
        database.ReadAsync(connection => GetAsync(connection, account, id, cancellationToken), cancellationToken);

    public Task<Page<StoredEnvironment>> ListAsync(
        string account, PageRequest page, bool includeArchived, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(page);
        var conditions = new SqlConditions().Add("account = $account", "$account", account);
        if (!includeArchived)
        {
            conditions.Add("archived_at IS NULL");
        }

        var sql = $"SELECT {Columns} FROM environments" + PageQuery.Apply(page, conditions);

        return database.ReadAsync(async connection =>
        {
            var command = conditions.BindTo(connection.Command(sql));
            var rows = new List<StoredEnvironment>(page.Limit + 1);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                rows.Add(Read(reader));
            }

            return PageQuery.Finish(page, rows);
        }, cancellationToken);
    }

    /// <summary>
    /// Reads the environment, lets <paramref name="change"/> decide its new state and writes it,
    /// all in one write transaction so that concurrent changes cannot overwrite each other.
    /// A changed configuration becomes a new version.
    /// </summary>
    public Task<Mutation<StoredEnvironment>> UpdateAsync(
        string account,
        string id,
        Func<StoredEnvironment, Mutation<StoredEnvironment>> change,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(change);

        return database.WriteAsync(async connection =>
        {
            var current = await GetAsync(connection, account, id, cancellationToken);
            if (current is null)
            {
                return Mutation<StoredEnvironment>.NotFound();
            }

            var outcome = change(current);
            if (outcome.Status != MutationStatus.Done)
            {
                return outcome;
            }

            var next = outcome.Value! with { Version = current.Version };
            if (!string.Equals(next.ConfigJson, current.ConfigJson, StringComparison.Ordinal))
            {
                next = next with { Version = current.Version + 1 };
                await InsertVersionAsync(connection, next, cancellationToken);
            }

            var update = connection.Command(
                """
                UPDATE environments SET name = $name, description = $description, config = $config,
                    metadata = $metadata, version = $version, archived_at = $archived, updated_at = $updated
                WHERE id = $id AND account = $account
                """);
            await Bind(update, next).ExecuteNonQueryAsync(cancellationToken);

            return Mutation<StoredEnvironment>.Done(next);
        }, cancellationToken);
    }

    /// <summary>Deletes the environment and its versions, unless a session that is not over uses it.</summary>
    public Task<Mutation<StoredEnvironment>> DeleteAsync(
        string account, string id, CancellationToken cancellationToken) =>
        database.WriteAsync(async connection =>
        {
            var current = await GetAsync(connection, account, id, cancellationToken);
            if (current is null)
            {
                return Mutation<StoredEnvironment>.NotFound();
            }

            var live = connection.Command(
                "SELECT COUNT(*) FROM sessions WHERE environment_id = $id AND status IN ('provisioning', 'idle', 'running')")
                .With("$id", id);
            var sessions = Convert.ToInt64(await live.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
            if (sessions > 0)
            {
                return Mutation<StoredEnvironment>.Conflict(
                    $"Environment {id} is used by {sessions} session(s) that are not terminated; terminate them first.");
            }

            var delete = connection.Command("DELETE FROM environments WHERE id = $id").With("$id", id);
            await delete.ExecuteNonQueryAsync(cancellationToken);

            return Mutation<StoredEnvironment>.Done(current);
        }, cancellationToken);

    /// <summary>The configuration of one version, for sessions that pinned it.</summary>
    public Task<string?> GetVersionConfigAsync(string id, int version, CancellationToken cancellationToken) =>
        database.ReadAsync(async connection =>
        {
            var command = connection.Command(
                "SELECT config FROM environment_versions WHERE environment_id = $id AND version = $version")
                .With("$id", id).With("$version", version);

            return await command.ExecuteScalarAsync(cancellationToken) as string;
        }, cancellationToken);

    private static async Task<StoredEnvironment?> GetAsync(
        PreparedConnection connection, string account, string id, CancellationToken cancellationToken)
    {
        var command = connection.Command(SelectOne).With("$id", id).With("$account", account);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);

        return await reader.ReadAsync(cancellationToken) ? Read(reader) : null;
    }

    private static async Task InsertVersionAsync(
        PreparedConnection connection, StoredEnvironment environment, CancellationToken cancellationToken)
    {
        var insert = connection.Command(
            """
            INSERT INTO environment_versions (environment_id, version, config, created_at)
            VALUES ($id, $version, $config, $updated)
            """)
            .With("$id", environment.Id).With("$version", environment.Version)
            .With("$config", environment.ConfigJson).With("$updated", environment.UpdatedAt);
        await insert.ExecuteNonQueryAsync(cancellationToken);
    }

    private static SqliteCommand Bind(SqliteCommand command, StoredEnvironment environment) =>
        command.With("$id", environment.Id).With("$account", environment.Account)
            .With("$name", environment.Name).With("$description", environment.Description)
            .With("$config", environment.ConfigJson).With("$metadata", environment.MetadataJson)
            .With("$version", environment.Version).With("$archived", environment.ArchivedAt)
            .With("$created", environment.CreatedAt).With("$updated", environment.UpdatedAt);

    private static StoredEnvironment Read(SqliteDataReader reader) => new(
        reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3),
        reader.GetString(4), reader.GetString(5), reader.GetInt32(6), reader.ReadOptionalTime(7),
        reader.ReadTime(8), reader.ReadTime(9));
}
