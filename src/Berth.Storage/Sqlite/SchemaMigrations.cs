using Microsoft.Data.Sqlite;

namespace Berth.Storage.Sqlite;

/// <summary>Brings the schema up to date; each step runs once, in order, inside a transaction.</summary>
internal static class SchemaMigrations
{
    // Append only: a released step is never edited, because stores in the field already ran it.
    private static readonly string[] Steps =
    [
        """
        CREATE TABLE tokens (
            id TEXT PRIMARY KEY,
            account TEXT NOT NULL,
            role TEXT NOT NULL,
            name TEXT NOT NULL,
            hash BLOB NOT NULL UNIQUE,
            created_at TEXT NOT NULL,
            expires_at TEXT NULL,
            revoked_at TEXT NULL
        );
        CREATE TABLE environments (
            id TEXT PRIMARY KEY,
            account TEXT NOT NULL,
            name TEXT NOT NULL,
            description TEXT NOT NULL,
            config TEXT NOT NULL,
            metadata TEXT NOT NULL,
            version INTEGER NOT NULL,
            archived_at TEXT NULL,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        );
        CREATE INDEX environments_by_account ON environments (account, id);
        CREATE TABLE environment_versions (
            environment_id TEXT NOT NULL REFERENCES environments (id) ON DELETE CASCADE,
            version INTEGER NOT NULL,
            config TEXT NOT NULL,
            created_at TEXT NOT NULL,
            PRIMARY KEY (environment_id, version)
        );
        CREATE TABLE idempotency_records (
            account TEXT NOT NULL,
            key TEXT NOT NULL,
            fingerprint BLOB NOT NULL,
            status INTEGER NOT NULL,
            body BLOB NOT NULL,
            location TEXT NULL,
            created_at TEXT NOT NULL,
            PRIMARY KEY (account, key)
        );
        CREATE INDEX idempotency_records_by_time ON idempotency_records (created_at);
        """,
        """
        CREATE TABLE image_builds (
            config_hash TEXT PRIMARY KEY,
            status TEXT NOT NULL,
            image TEXT NULL,
            started_at TEXT NULL,
            finished_at TEXT NULL,
            duration_ms INTEGER NULL,
            error TEXT NULL,
            log_tail TEXT NULL,
            config TEXT NOT NULL,
            requested_at TEXT NOT NULL
        );
        CREATE TABLE environment_builds (
            environment_id TEXT PRIMARY KEY REFERENCES environments (id) ON DELETE CASCADE,
            config_hash TEXT NOT NULL,
            cache TEXT NULL
        );
        """,
        """
        CREATE TABLE sessions (
            id TEXT PRIMARY KEY,
            account TEXT NOT NULL,
            environment_id TEXT NOT NULL,
            environment_version INTEGER NOT NULL,
            config TEXT NOT NULL,
            config_hash TEXT NOT NULL,
            status TEXT NOT NULL,
            title TEXT NULL,
            metadata TEXT NOT NULL,
            agent TEXT NULL,
            environment_variables TEXT NOT NULL,
            resources TEXT NULL,
            timeout_seconds INTEGER NOT NULL,
            container_id TEXT NULL,
            error TEXT NULL,
            expires_at TEXT NOT NULL,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            terminated_at TEXT NULL
        );
        CREATE INDEX sessions_by_account ON sessions (account, id);
        CREATE INDEX sessions_by_environment ON sessions (environment_id, status);
        CREATE INDEX sessions_by_status ON sessions (status, expires_at);
        CREATE TABLE session_events (
            id TEXT PRIMARY KEY,
            session_id TEXT NOT NULL,
            type TEXT NOT NULL,
            data TEXT NOT NULL,
            created_at TEXT NOT NULL
        );
        CREATE INDEX session_events_by_session ON session_events (session_id, id);
        CREATE TABLE egress_decisions (
            id TEXT PRIMARY KEY,
            session_id TEXT NOT NULL,
            time TEXT NOT NULL,
            host TEXT NOT NULL,
            port INTEGER NOT NULL,
            protocol TEXT NOT NULL,
            verdict TEXT NOT NULL,
            rule TEXT NOT NULL
        );
        CREATE INDEX egress_decisions_by_session ON egress_decisions (session_id, id);
        """,
    ];

    public static async Task ApplyAsync(SqliteConnection connection, CancellationToken cancellationToken)
    {
        await using (var wal = connection.CreateCommand())
        {
            wal.CommandText = "PRAGMA journal_mode=WAL;";
            await wal.ExecuteNonQueryAsync(cancellationToken);
        }

        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        var current = await ReadVersionAsync(connection, transaction, cancellationToken);
        for (var step = current; step < Steps.Length; step++)
        {
            await ExecuteAsync(connection, transaction, Steps[step], cancellationToken);
        }

        await ExecuteAsync(connection, transaction, $"PRAGMA user_version={Steps.Length};", cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    private static async Task<int> ReadVersionAsync(
        SqliteConnection connection, SqliteTransaction transaction, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "PRAGMA user_version;";
        var version = Convert.ToInt32(await command.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
        if (version > Steps.Length)
        {
            throw new InvalidOperationException(
                $"The store's schema is version {version}, newer than this build knows ({Steps.Length}). " +
                "Run a newer Berth or restore a backup made for this version.");
        }

        return version;
    }

    private static async Task ExecuteAsync(
        SqliteConnection connection, SqliteTransaction transaction, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
