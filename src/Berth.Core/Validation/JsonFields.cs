using System.Text.Json;

namespace Berth.Core.Validation;

/// <summary>Reads fields of a request body, turning wrong JSON types into validation errors.</summary>
internal static class JsonFields
{
    /// <summary>Finds a field; a JSON <c>null</c> counts as omitted, as the API contract says.</summary>
    public static bool TryGetPresent(JsonElement parent, string name, out JsonElement value)
    {
        if (parent.TryGetProperty(name, out value) && value.ValueKind != JsonValueKind.Null)
        {
            return true;
        }

        value = default;
        return false;
    }

    public static ValidationError Missing(string param) =>
        new(param, $"Missing required field: {param}");

    public static ValidationError WrongType(string param, string expected, JsonElement actual) =>
        new(param, $"{param} must be {expected}; got {Describe(actual.ValueKind)}.");

    public static Validated<string> ReadString(JsonElement value, string param)
    {
        if (value.ValueKind != JsonValueKind.String)
        {
            return WrongType(param, "a string", value);
        }

        return Decode(value, param);
    }

    public static Validated<bool> ReadBoolean(JsonElement value, string param) =>
        value.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => WrongType(param, "a boolean (true or false)", value),
        };

    /// <summary>Reads a property name, which JSON escapes can make as malformed as any string.</summary>
    public static Validated<string> ReadName(JsonProperty property, string param)
    {
        try
        {
            return property.Name;
        }
        catch (InvalidOperationException)
        {
            return InvalidText(param);
        }
    }

    /// <summary>Names a JSON type for messages: "an array", "a number".</summary>
    public static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Null => "null",
        _ => "nothing",
    };

    private static Validated<string> Decode(JsonElement value, string param)
    {
        // JSON allows escaped lone surrogates ("\ud800"), which System.Text.Json refuses to
        // turn into a string. That is the client's malformed text, so it is a 400, not a 500.
        try
        {
            return value.GetString()!;
        }
        catch (InvalidOperationException)
        {
            return InvalidText(param);
        }
    }

    private static ValidationError InvalidText(string param) =>
        new(param, $"{param} must be valid Unicode text; it contains an unpaired surrogate escape.");
}
