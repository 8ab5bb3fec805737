using System.Text.Json.Nodes;

namespace Berth.Cli.Invocation;

/// <summary>Small edits of request bodies built from flags.</summary>
internal static class JsonBodies
{
    public static void SetIfGiven(this JsonObject body, string field, string? value)
    {
        if (value is not null)
        {
            body[field] = value;
        }
    }

    public static void SetIfGiven(this JsonObject body, string field, JsonNode? value)
    {
        if (value is not null)
        {
            body[field] = value;
        }
    }

    /// <summary>A copy of <paramref name="existing"/> with the members of <paramref name="added"/> written over it.</summary>
    public static JsonObject Merge(JsonObject? existing, JsonObject added)
    {
        var merged = existing is null ? new JsonObject() : (JsonObject)existing.DeepClone();
        foreach (var (key, value) in added)
        {
            merged[key] = value?.DeepClone();
        }

        return merged;
    }
}
