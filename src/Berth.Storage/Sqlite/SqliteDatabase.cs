using System.Collections.Concurrent;
using Microsoft.Data.Sqlite;

namespace Berth.Storage.Sqlite;

/// <summary>The SQLite file: open connections configured for durability and concurrent readers.</summary>
/// <remarks>
/// Opening a connection, setting it up and compiling SQL cost more than the queries the API
/// runs, so connections stay open: readers in a small pool, and one writer that every write
/// transaction of this process uses in turn. Each keeps its compiled commands.
/// </remarks>
public sealed class SqliteDatabase : IDisposable
{
    // A few more than the reads a small machine runs at once; a burst opens more and closes them after.
    private const int IdleReaders = 8;

    private readonly string _connectionString;
    private readonly string _pragmas;
    private readonly SemaphoreSlim _writeGate = new(1, 1);
    private readonly ConcurrentQueue<PreparedConnection> _idleReaders = new();
    private int _idleReaderCount;
    private PreparedConnection? _writer;
    private volatile bool _disposed;

    public SqliteDatabase(StoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        // The store holds sessions' environment variables and token hashes: only its owner reads it.
        Directory.CreateDirectory(options.DataDirectory);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(options.DataDirectory,
                UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        // This class keeps its own connections open; the driver's pool would only keep the
        // file open after Dispose.
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = options.DatabasePath,
            Pooling = false,
            DefaultTimeout = 30,
        }.ToString();
        var synchronous = options.SyncToDisk ? "FULL" : "NORMAL";
        _pragmas = $"PRAGMA busy_timeout=10000; PRAGMA foreign_keys=ON; PRAGMA synchronous={synchronous};";
    }

    /// <summary>A new connection of the caller's own, configured like the ones this class keeps.</summary>
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

    /// <summary>Runs <paramref name="read"/> on a kept reader connection.</summary>
    internal async Task<T> ReadAsync<T>(Func<PreparedConnection, Task<T>> read, CancellationToken cancellationToken)
    {
        var reader = TakeIdleReader() ?? new PreparedConnection(await OpenAsync(cancellationToken));
        var succeeded = false;
        try
        {
            var result = await read(reader);
            succeeded = true;

            return result;
        }
        finally
        {
            // After a failure a new connection replaces this one: it may be left in a state no
            // one has thought through, and failures are too rare for the reopen to matter.
            if (succeeded)
            {
                ReturnReader(reader);
            }
            else
            {
                reader.Dispose();
            }
        }
    }

    /// <summary>Runs <paramref name="work"/> in a write transaction; writers in this process queue here.</summary>
    /// <remarks>
    /// SQLite has one writer at a time. Queueing in-process is far cheaper than letting writers
    /// collide on the file lock and back off in SQLite's busy handler.
    /// </remarks>
    internal async Task<T> WriteAsync<T>(Func<PreparedConnection, Task<T>> work, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(work);
        await _writeGate.WaitAsync(cancellationToken);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            _writer ??= new PreparedConnection(await OpenAsync(cancellationToken));

            return await WriteOnAsync(_writer, work, cancellationToken);
        }
        finally
        {
            if (_disposed)
            {
                CloseWriter();
            }

            _writeGate.Release();
        }
    }

    public async Task MigrateAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await SchemaMigrations.ApplyAsync(connection, cancellationToken);
    }

    public void Dispose()
    {
        _disposed = true;
        CloseIdleReaders();

        // A write under way closes the writer itself when it ends. The gate stays undisposed
        // for that write's sake; it holds nothing unmanaged while no one waits on its handle.
        if (_writeGate.Wait(TimeSpan.Zero))
        {
            CloseWriter();
            _writeGate.Release();
        }
    }

    private async Task<T> WriteOnAsync<T>(
        PreparedConnection writer, Func<PreparedConnection, Task<T>> work, CancellationToken cancellationToken)
    {
        var committed = false;
        try
        {
            await using var transaction = writer.Connection.BeginTransaction(deferred: false);
            writer.Transaction = transaction;
            var result = await work(writer);
            await transaction.CommitAsync(cancellationToken);
            committed = true;

            return result;
        }
        finally
        {
            writer.Transaction = null;

            // The transaction rolled back when it was disposed. The next write opens a new
            // writer anyway, so that no failure can leave later writes on a broken connection.
            if (!committed)
            {
                CloseWriter();
            }
        }
    }

    private void CloseWriter()
    {
        _writer?.Dispose();
        _writer = null;
    }

    private PreparedConnection? TakeIdleReader()
    {
        if (!_idleReaders.TryDequeue(out var reader))
        {
            return null;
        }

        Interlocked.Decrement(ref _idleReaderCount);

        return reader;
    }

    private void ReturnReader(PreparedConnection reader)
    {
        if (_disposed)
        {
            reader.Dispose();
            return;
        }

        if (Interlocked.Increment(ref _idleReaderCount) > IdleReaders)
        {
            Interlocked.Decrement(ref _idleReaderCount);
            reader.Dispose();
            return;
        }

        _idleReaders.Enqueue(reader);

        // Dispose may have emptied the queue between the check above and the enqueue.
        if (_disposed)
        {
            CloseIdleReaders();
        }
    }

    private void CloseIdleReaders()
    {
        while (TakeIdleReader() is { } reader)
        {
            reader.Dispose();
        }
    }
}
