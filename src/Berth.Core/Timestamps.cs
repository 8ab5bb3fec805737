using System.Globalization;

namespace Berth.Core;

/// <summary>Formats and parses the API's timestamps: UTC, RFC 3339, six fractional digits.</summary>
public static class Timestamps
{
    /// <summary>The value as <c>yyyy-MM-ddTHH:mm:ss.ffffffZ</c>, truncated to the microsecond.</summary>
    public static string Format6(DateTimeOffset value)
    {
        // The round-trip format has a fast path that custom formats lack; it writes seven
        // fractional digits, and the seventh is dropped. Every response formats several of these.
        Span<char> roundTrip = stackalloc char[28];
        value.UtcDateTime.TryFormat(roundTrip, out _, "O", CultureInfo.InvariantCulture);

        return string.Concat(roundTrip[..26], "Z");
    }

    /// <summary>Drops precision below a microsecond so that stored and returned values agree.</summary>
    public static DateTimeOffset TruncateToMicroseconds(DateTimeOffset value) =>
        new(value.UtcTicks - (value.UtcTicks % 10), TimeSpan.Zero);

    public static bool TryParse(string? text, out DateTimeOffset value) =>
        DateTimeOffset.TryParse(
            text,
            CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal,
            out value)
        && text!.Contains('T', StringComparison.OrdinalIgnoreCase);
}
