using System.Text.Json;
using Berth.Core.Validation;

namespace Berth.Core.Environments;

/// <summary>Reads and merges <c>metadata</c>: an object of string values.</summary>
/// <remarks>
/// Errors about a value name it as <c>metadata.&lt;key&gt;</c>. Errors about a key or about the
/// number of keys name <c>metadata</c>, because a bad key (empty, or far too long) makes a poor
/// path and is not itself a value.
/// </remarks>
internal static class MetadataParser
{
    public const string Param = "metadata";

    /// <summary>Reads metadata as a patch: a null or empty value means "delete this key".</summary>
    public static Validated<IReadOnlyDictionary<string, string?>?> ParsePatch(JsonElement body)
    {
        if (!JsonFields.TryGetPresent(body, Param, out var metadata))
        {
            return Validated<IReadOnlyDictionary<string, string?>?>.Success(null);
        }

        if (metadata.ValueKind != JsonValueKind.Object)
        {
            return JsonFields.WrongType(Param, "an object whose values are strings", metadata);
        }

        var entries = new OrderedDictionary<string, string?>(StringComparer.Ordinal);
        foreach (var property in metadata.EnumerateObject())
        {
            var entry = ReadEntry(property);
            if (!entry.IsValid)
            {
                return entry.Error;
            }

            entries[entry.Value.Key] = entry.Value.Value;
        }

        return entries;
    }

    /// <summary>The stored metadata after applying <paramref name="patch"/>, in a stable order.</summary>
    public static OrderedDictionary<string, string> Merge(
        IReadOnlyDictionary<string, string> current,
        IReadOnlyDictionary<string, string?>? patch)
    {
        var merged = new OrderedDictionary<string, string>(current, StringComparer.Ordinal);
        foreach (var (key, value) in patch ?? new Dictionary<string, string?>())
        {
            if (value is null)
            {
                merged.Remove(key);
            }
            else
            {
                merged[key] = value;
            }
        }

        return merged;
    }

    public static ValidationError? CheckCount(IReadOnlyDictionary<string, string> metadata, bool isUpdate)
    {
        if (metadata.Count <= EnvironmentLimits.MetadataMaxKeys)
        {
            return null;
        }

        var message = isUpdate
            ? $"{Param} would have {metadata.Count} keys after this update; at most "
                + $"{EnvironmentLimits.MetadataMaxKeys} are allowed. Send null or \"\" for a key to delete it."
            : $"{Param} must have at most {EnvironmentLimits.MetadataMaxKeys} keys; got {metadata.Count}.";

        return new ValidationError(Param, message);
    }

    private static Validated<KeyValuePair<string, string?>> ReadEntry(JsonProperty property)
    {
        var key = JsonFields.ReadName(property, Param);
        if (!key.IsValid)
        {
            return key.Error;
        }

        var keyError = CheckKey(key.Value);
        if (keyError is not null)
        {
            return keyError;
        }

        var value = ReadValue(property.Value, $"{Param}.{key.Value}");
        if (!value.IsValid)
        {
            return value.Error;
        }

        return new KeyValuePair<string, string?>(key.Value, value.Value);
    }

    private static ValidationError? CheckKey(string key)
    {
        var length = TextLength.Characters(key);
        if (length is >= 1 and <= EnvironmentLimits.MetadataKeyMaxLength)
        {
            return null;
        }

        var which = length == 0 ? "an empty key" : $"the key {Quoting.Quote(key)} with {length} characters";

        return new ValidationError(
            Param,
            $"{Param} keys must be 1 to {EnvironmentLimits.MetadataKeyMaxLength} characters; got {which}.");
    }

    private static Validated<string?> ReadValue(JsonElement value, string param)
    {
        if (value.ValueKind == JsonValueKind.Null)
        {
            return Validated<string?>.Success(null);
        }

        var text = JsonFields.ReadString(value, param);
        if (!text.IsValid)
        {
            return text.Error;
        }

        var length = TextLength.Characters(text.Value);
        if (length > EnvironmentLimits.MetadataValueMaxLength)
        {
            return new ValidationError(
                param,
                $"{param} must be at most {EnvironmentLimits.MetadataValueMaxLength} characters; got {length}.");
        }

        return text.Value.Length == 0 ? Validated<string?>.Success(null) : text.Value;
    }
}
