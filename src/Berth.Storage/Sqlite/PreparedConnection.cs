using Microsoft.Data.Sqlite;

namespace Berth.Storage.Sqlite;

/// <summary>An open connection that keeps the commands it has prepared, for whoever uses it next.</summary>
/// <remarks>
/// Compiling a statement costs more than running a lookup by primary key, so a connection that
/// <see cref="SqliteDatabase"/> keeps open holds its commands by SQL text. The texts come from
/// the stores' fixed templates, so there are few of them. One caller uses a connection at a time.
/// </remarks>
internal sealed class PreparedConnection(SqliteConnection connection) : IDisposable
{
    private readonly Dictionary<string, SqliteCommand> _commands = new(StringComparer.Ordinal);

    public SqliteConnection Connection => connection;

    /// <summary>The write transaction under way, which every command must join; null on a reader.</summary>
    public SqliteTransaction? Transaction { get; set; }

    /// <summary>The command for <paramref name="sql"/> with no parameters bound.</summary>
    /// <remarks>The connection owns the command: callers dispose its reader, never the command.</remarks>
    public SqliteCommand Command(string sql)
    {
        if (!_commands.TryGetValue(sql, out var command))
        {
            command = connection.CreateCommand();
            command.CommandText = sql;
            _commands.Add(sql, command);
        }

        command.Parameters.Clear();
        command.Transaction = Transaction;

        return command;
    }

    public void Dispose()
    {
        foreach (var command in _commands.Values)
        {
            command.Dispose();
        }

        connection.Dispose();
    }
}
