using System.Text.Json;
using Berth.Core.Validation;

namespace Berth.Core.Environments;

/// <summary>Reads the top-level text fields of an environment request body.</summary>
internal static class EnvironmentFields
{
    public const string NameParam = "name";
    public const string DescriptionParam = "description";

    /// <summary>The name as sent (not trimmed), or null when it was not sent.</summary>
    public static Validated<string?> ReadName(JsonElement body)
    {
        if (!JsonFields.TryGetPresent(body, NameParam, out var value))
        {
            return Validated<string?>.Success(null);
        }

        var name = JsonFields.ReadString(value, NameParam);
        if (!name.IsValid)
        {
            return name.Error;
        }

        if (string.IsNullOrWhiteSpace(name.Value))
        {
            return new ValidationError(NameParam, $"{NameParam} must not be empty or only whitespace.");
        }

        return CheckLength(name.Value, NameParam, EnvironmentLimits.NameMaxLength);
    }

    /// <summary>
    /// The description, <c>""</c> for an explicit JSON null (which clears it on update), or
    /// null when it was not sent.
    /// </summary>
    public static Validated<string?> ReadDescription(JsonElement body)
    {
        if (!body.TryGetProperty(DescriptionParam, out var value))
        {
            return Validated<string?>.Success(null);
        }

        if (value.ValueKind == JsonValueKind.Null)
        {
            return "";
        }

        var description = JsonFields.ReadString(value, DescriptionParam);
        if (!description.IsValid)
        {
            return description.Error;
        }

        return CheckLength(description.Value, DescriptionParam, EnvironmentLimits.DescriptionMaxLength);
    }

    private static Validated<string?> CheckLength(string text, string param, int maxLength)
    {
        var length = TextLength.Characters(text);

        return length <= maxLength
            ? text
            : new ValidationError(param, $"{param} must be at most {maxLength:N0} characters; got {length:N0}.");
    }
}
