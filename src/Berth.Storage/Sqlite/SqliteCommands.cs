using System.Globalization;
using Berth.Core;
using Microsoft.Data.Sqlite;

namespace Berth.Storage.Sqlite;

/// <summary>Small conveniences for parameterised commands and column reads.</summary>
internal static class SqliteCommands
{
    public static SqliteCommand Command(
        this SqliteConnection connection, string sql, SqliteTransaction? transaction = null)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;

        return command;
    }

    public static SqliteCommand With(this SqliteCommand command, string name, object? value)
    {
        command.Parameters.AddWithValue(name, value switch
        {
            null => DBNull.Value,
            DateTimeOffset time => Timestamps.Format6(time),
            _ => value,
        });

        return command;
    }

    public static DateTimeOffset ReadTime(this SqliteDataReader reader, int ordinal) =>
        DateTimeOffset.Parse(reader.GetString(ordinal), CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal);

    public static DateTimeOffset? ReadOptionalTime(this SqliteDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : reader.ReadTime(ordinal);

    public static string? ReadOptionalString(this SqliteDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);
}
