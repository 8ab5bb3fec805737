using System.Globalization;
using System.Text.Json;

namespace Berth.Cli.Client;

/// <summary>Lenient reads of API objects: a missing or differently typed field reads as null.</summary>
internal static class JsonElementExtensions
{
    public static string? Text(this JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value)
            ? value.ValueKind switch
            {
                JsonValueKind.String => value.GetString(),
                JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => value.GetRawText(),
                _ => null,
            }
            : null;

    public static JsonElement? Child(this JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value)
            && value.ValueKind is not (JsonValueKind.Null or JsonValueKind.Undefined)
            ? value
            : null;

    public static long? Number(this JsonElement element, string name) =>
        element.Child(name) is { ValueKind: JsonValueKind.Number } value && value.TryGetInt64(out var number) ? number : null;

    public static bool Flag(this JsonElement element, string name) =>
        element.Child(name) is { ValueKind: JsonValueKind.True };

    /// <summary>The items of a list response's <c>data</c>, or of a bare array.</summary>
    public static IEnumerable<JsonElement> Items(this JsonElement element) =>
        element.ValueKind == JsonValueKind.Array
            ? element.EnumerateArray()
            : element.Child("data") is { ValueKind: JsonValueKind.Array } data ? data.EnumerateArray() : [];

    public static string Invariant(this long value) => value.ToString(CultureInfo.InvariantCulture);
}
