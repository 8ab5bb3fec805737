using System.Globalization;
using System.Text.Json.Nodes;

namespace Berth.Cli.Invocation;

/// <summary>Parses the small value syntaxes of the command line: KEY=VALUE pairs and durations.</summary>
internal static class CommandLineValues
{
    /// <summary>
    /// <c>KEY=VALUE</c> pairs as a JSON object. With <paramref name="emptyIsNull"/>, <c>KEY=</c>
    /// becomes null, which the API reads as "delete this key".
    /// </summary>
    public static JsonObject? Pairs(IEnumerable<string>? pairs, string option, bool emptyIsNull = false)
    {
        if (pairs is null || !pairs.Any())
        {
            return null;
        }

        var result = new JsonObject();
        foreach (var pair in pairs)
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                throw new UsageException($"{option} takes KEY=VALUE, not '{pair}'.");
            }

            var value = pair[(equals + 1)..];
            result[pair[..equals]] = emptyIsNull && value.Length == 0 ? null : JsonValue.Create(value);
        }

        return result;
    }

    /// <summary>A duration such as <c>500ms</c>, <c>30s</c>, <c>5m</c> or <c>2h</c>; a bare number is seconds.</summary>
    public static TimeSpan Duration(string text, string option)
    {
        var trimmed = text.Trim().ToLowerInvariant();
        var (number, unit) = trimmed.EndsWith("ms", StringComparison.Ordinal) ? (trimmed[..^2], "ms")
            : trimmed.Length > 0 && char.IsLetter(trimmed[^1]) ? (trimmed[..^1], trimmed[^1..])
            : (trimmed, "s");
        if (!double.TryParse(number, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var amount) || amount <= 0)
        {
            throw new UsageException($"{option} takes a duration such as 30s, 5m or 500ms, not '{text}'.");
        }

        return unit switch
        {
            "ms" => TimeSpan.FromMilliseconds(amount),
            "s" => TimeSpan.FromSeconds(amount),
            "m" => TimeSpan.FromMinutes(amount),
            "h" => TimeSpan.FromHours(amount),
            _ => throw new UsageException($"{option} takes a duration in ms, s, m or h, not '{text}'."),
        };
    }
}
