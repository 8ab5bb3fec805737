using Microsoft.Data.Sqlite;

namespace Berth.Storage.Sqlite;

/// <summary>Opens connections to the SQLite file, configured for durability and concurrent readers.</summary>
public sealed class SqliteDatabase : IDisposable
{
    private readonly string _connectionString;
    private readonly string _pragmas;
    private readonly SemaphoreSlim _writeGate = new(1, 1);

    public SqliteDatabase(StoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Directory.CreateDirectory(options.DataDirectory);
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = options.DatabasePath,
            Pooling = true,
            DefaultTimeout = 30,
        }.ToString();
        var synchronous = options.SyncToDisk ? "FULL" : "NORMAL";
        _pragmas = $"PRAGMA busy_timeout=10000; PRAGMA foreign_keys=ON; PRAGMA synchronous={synchronous};";
    }

    public async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(cancellationToken);

        // WAL lets readers run beside the one writer. NORMAL sync in WAL mode loses nothing when
        // the process dies: a committed transaction is in the OS's page cache before COMMIT
        // returns. Only a power cut can drop the last commits; SyncToDisk covers that too.
        await using var pragma = connection.CreateCommand();
        pragma.CommandText = _pragmas;
        await pragma.ExecuteNonQueryAsync(cancellationToken);

        return connection;
    }

    /// <summary>Runs <paramref name="work"/> in a write transaction; writers in this process queue here.</summary>
    /// <remarks>
    /// SQLite has one writer at a time. Queueing in-process is far cheaper than letting writers
    /// collide on the file lock and back off in SQLite's busy handler.
    /// </remarks>
    public async Task<T> WriteAsync<T>(
        Func<SqliteConnection, SqliteTransaction, Task<T>> work, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(work);
        await _writeGate.WaitAsync(cancellationToken);
        try
        {
            await using var connection = await OpenAsync(cancellationToken);
            await using var transaction = connection.BeginTransaction(deferred: false);
            var result = await work(connection, transaction);
            await transaction.CommitAsync(cancellationToken);

            return result;
        }
        finally
        {
            _writeGate.Release();
        }
    }

    public async Task MigrateAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await SchemaMigrations.ApplyAsync(connection, cancellationToken);
    }

    public void Dispose() => _writeGate.Dispose();
}
