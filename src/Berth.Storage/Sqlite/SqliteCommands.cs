using System.Globalization;
using System.Text;
using Berth.Core;
using Microsoft.Data.Sqlite;

namespace Berth.Storage.Sqlite;

/// <summary>Small conveniences for parameterised commands and column reads.</summary>
internal static class SqliteCommands
{
    // What Timestamps.Format6 writes, and so every stored time: yyyy-MM-ddTHH:mm:ss.ffffffZ.
    private const int StoredTimeLength = 27;

    /// <remarks>
    /// Text holding U+0000 is bound as its UTF-8 bytes: the SQLite binding passes a long string
    /// as NUL-terminated, which would cut it at the first U+0000. Reading the column back as text
    /// gives the whole string again.
    /// </remarks>
    public static SqliteCommand With(this SqliteCommand command, string name, object? value)
    {
        command.Parameters.AddWithValue(name, value switch
        {
            null => DBNull.Value,
            DateTimeOffset time => Timestamps.Format6(time),
            string text when text.Contains('\0') => Encoding.UTF8.GetBytes(text),
            _ => value,
        });

        return command;
    }

    public static DateTimeOffset ReadTime(this SqliteDataReader reader, int ordinal) =>
        ParseTime(reader.GetString(ordinal));

    public static DateTimeOffset? ReadOptionalTime(this SqliteDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : reader.ReadTime(ordinal);

    public static string? ReadOptionalString(this SqliteDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    private static DateTimeOffset ParseTime(string text)
    {
        // Rows hold six fractional digits; with a seventh the text is in the round-trip format,
        // whose parser has a fast path. Anything else goes to the general parser.
        if (text.Length == StoredTimeLength && text[^1] == 'Z')
        {
            Span<char> roundTrip = stackalloc char[StoredTimeLength + 1];
            text.AsSpan(0, StoredTimeLength - 1).CopyTo(roundTrip);
            roundTrip[^2] = '0';
            roundTrip[^1] = 'Z';
            if (DateTimeOffset.TryParseExact(
                roundTrip, "O", CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal, out var time))
            {
                return time;
            }
        }

        return DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal);
    }
}
