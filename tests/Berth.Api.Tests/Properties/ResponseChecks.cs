using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Berth.Api.Tests.Properties;

/// <summary>The error envelope an answer carried: its type and the param it named, if any.</summary>
internal sealed record ApiError(string Type, string? Param);

/// <summary>The contract's rules for every answer, error envelope and environment object.</summary>
internal static partial class ResponseChecks
{
    private static readonly string[] EnvironmentMembers =
        ["id", "type", "name", "description", "status", "config", "metadata", "archived", "archived_at", "created_at", "updated_at"];

    private static readonly Dictionary<int, string> ErrorTypes = new()
    {
        [400] = "invalid_request_error",
        [401] = "authentication_error",
        [403] = "permission_error",
        [404] = "not_found_error",
        [405] = "invalid_request_error",
        [409] = "conflict_error",
    };

    /// <summary>2xx or 4xx, never 5xx, with a request id and a UTF-8 body.</summary>
    public static void Clean(ApiCall call)
    {
        Check(call.Status is >= 200 and < 300 or >= 400 and < 500, call, "the status is neither 2xx nor 4xx");
        Check(!string.IsNullOrEmpty(call.RequestId), call, "there is no x-request-id header");
        Check(call.Text is not null, call, "the answer is not valid UTF-8");
    }

    /// <summary>Checks the error envelope and returns what it says.</summary>
    public static ApiError Error(ApiCall call)
    {
        Check(call.ContentType == "application/json", call, $"the error's Content-Type is {call.ContentType}");
        var root = Parse(call);
        Check(Names(root).SequenceEqual(["type", "request_id", "error"]), call, "the envelope's members are not type, request_id, error");
        Check(Text(root, "type", call) == "error", call, "the envelope's type is not \"error\"");
        Check(Text(root, "request_id", call) == call.RequestId, call, "request_id differs from the x-request-id header");
        var error = root.GetProperty("error");
        Check(error.ValueKind == JsonValueKind.Object, call, "error is not an object");
        Check(Names(error).All(n => n is "type" or "message" or "param"), call, "error has members other than type, message, param");
        var type = Text(error, "type", call);
        Check(ErrorTypes.TryGetValue(call.Status, out var expected) && type == expected, call, $"error type {type} does not fit the status");
        Check(!string.IsNullOrWhiteSpace(Text(error, "message", call)), call, "the message is blank");
        var param = error.TryGetProperty("param", out _) ? Text(error, "param", call) : null;
        Check(param is null || param.Length > 0, call, "param is empty");

        return new ApiError(type, param);
    }

    /// <summary>Checks that the answer is an environment object and returns it.</summary>
    public static JsonElement Environment(ApiCall call) => Environment(Parse(call), call);

    public static JsonElement Environment(JsonElement env, ApiCall call)
    {
        Check(Names(env).SequenceEqual(EnvironmentMembers), call, "the environment's members are not the documented ones");
        Check(IdPattern().IsMatch(Text(env, "id", call)), call, "the id is not env_ and a UUIDv7 in lowercase hex");
        Check(Text(env, "type", call) == "environment", call, "type is not \"environment\"");
        var name = Text(env, "name", call);
        Check(!string.IsNullOrWhiteSpace(name) && TextGen.Characters(name) <= 256, call, "the name breaks its rules");
        Check(TextGen.Characters(Text(env, "description", call)) <= 2048, call, "the description is too long");
        CheckStatus(env, call);
        var config = env.GetProperty("config");
        Check(config.ValueKind == JsonValueKind.Object && Text(config, "type", call) == "cloud", call, "config.type is not cloud");
        CheckMetadata(env.GetProperty("metadata"), call);
        var created = Text(env, "created_at", call);
        var updated = Text(env, "updated_at", call);
        Check(TimestampPattern().IsMatch(created) && TimestampPattern().IsMatch(updated), call, "a timestamp is not RFC 3339 with 6 digits");
        Check(string.CompareOrdinal(updated, created) >= 0, call, "updated_at is before created_at");

        return env;
    }

    /// <summary>Checks the fields of a created environment against what its body asked for.</summary>
    public static void Matches(JsonElement env, ExpectedEnvironment expected, ApiCall call)
    {
        Check(Text(env, "name", call) == expected.Name, call, "the name is not the one sent");
        Check(Text(env, "description", call) == expected.Description, call, "the description is not the one sent");
        CheckMetadataEquals(env, MetadataModel.Merge([], expected.Metadata), call);
        CheckConfigEquals(env, expected.Config, call);
    }

    /// <summary>Checks the fields of an updated environment against its state before and the patch.</summary>
    public static void Matches(JsonElement env, JsonElement before, PatchModel patch, ApiCall call)
    {
        Check(Text(env, "id", call) == Text(before, "id", call), call, "the id changed");
        Check(Text(env, "created_at", call) == Text(before, "created_at", call), call, "created_at changed");
        Check(string.CompareOrdinal(Text(env, "updated_at", call), Text(before, "updated_at", call)) >= 0, call, "updated_at went back");
        Check(Text(env, "name", call) == (patch.Name ?? Text(before, "name", call)), call, "the name is not as patched");
        Check(Text(env, "description", call) == (patch.Description ?? Text(before, "description", call)), call,
            "the description is not as patched");
        CheckMetadataEquals(env, MetadataModel.Merge(Metadata(before), patch.Metadata ?? []), call);
        CheckConfigEquals(env, PatchedConfig(before, patch.Config), call);
    }

    public static Dictionary<string, string> Metadata(JsonElement env) =>
        env.GetProperty("metadata").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!, StringComparer.Ordinal);

    public static void Check(bool condition, ApiCall call, string problem)
    {
        if (!condition)
        {
            Assert.Fail($"{problem}.{System.Environment.NewLine}{call.Describe()}");
        }
    }

    private static JsonObject PatchedConfig(JsonElement before, ConfigChange? change)
    {
        var config = JsonNode.Parse(before.GetProperty("config").GetRawText())!.AsObject();
        if (change?.Networking is { } networking)
        {
            config["networking"] = networking.DeepClone();
        }

        if (change?.Packages is { } packages)
        {
            config["packages"] = packages.DeepClone();
        }

        if (change?.SetupScript is { } script)
        {
            config["setup_script"] = script;
        }

        return config;
    }

    private static void CheckStatus(JsonElement env, ApiCall call)
    {
        var status = Text(env, "status", call);
        var archived = env.GetProperty("archived");
        var archivedAt = env.GetProperty("archived_at");
        Check(status is "ready" or "archived", call, $"status {status} is neither ready nor archived");
        Check(archived.ValueKind == (status == "archived" ? JsonValueKind.True : JsonValueKind.False), call,
            "archived does not match status");
        if (status == "ready")
        {
            Check(archivedAt.ValueKind == JsonValueKind.Null, call, "archived_at is set on a ready environment");
            return;
        }

        Check(Text(env, "archived_at", call) == Text(env, "updated_at", call), call, "archived_at is not updated_at");
    }

    private static void CheckMetadata(JsonElement metadata, ApiCall call)
    {
        Check(metadata.ValueKind == JsonValueKind.Object, call, "metadata is not an object");
        var entries = metadata.EnumerateObject().ToList();
        Check(entries.Count <= MetadataModel.MaxKeys, call, "metadata has more than 16 keys");
        foreach (var entry in entries)
        {
            var value = Text(metadata, entry.Name, call);
            Check(TextGen.Characters(entry.Name) is >= 1 and <= 64, call, "a metadata key breaks its length rule");
            Check(TextGen.Characters(value) is >= 1 and <= 512, call, "a metadata value breaks its length rule");
        }
    }

    private static void CheckMetadataEquals(JsonElement env, Dictionary<string, string> expected, ApiCall call)
    {
        var actual = Metadata(env);
        Check(actual.Count == expected.Count && expected.All(e => actual.TryGetValue(e.Key, out var v) && v == e.Value), call,
            $"the metadata is not {JsonSerializer.Serialize(expected)}");
    }

    private static void CheckConfigEquals(JsonElement env, JsonObject expected, ApiCall call)
    {
        var actual = JsonNode.Parse(env.GetProperty("config").GetRawText());
        Check(JsonNode.DeepEquals(actual, expected), call, $"the config is not {expected.ToJsonString()}");
    }

    private static JsonElement Parse(ApiCall call)
    {
        try
        {
            using var document = JsonDocument.Parse(call.Bytes);

            return document.RootElement.Clone();
        }
        catch (JsonException error)
        {
            Assert.Fail($"the answer is not JSON: {error.Message}{System.Environment.NewLine}{call.Describe()}");
            throw;
        }
    }

    private static IEnumerable<string> Names(JsonElement element) =>
        element.ValueKind == JsonValueKind.Object ? element.EnumerateObject().Select(p => p.Name) : [];

    // Strings the server writes must decode: an escaped lone surrogate is valid JSON but not text.
    private static string Text(JsonElement parent, string name, ApiCall call)
    {
        Check(parent.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String, call, $"{name} is not a string");
        try
        {
            return value.GetString()!;
        }
        catch (InvalidOperationException)
        {
            Assert.Fail($"{name} holds an escaped lone surrogate, which is not text: {value.GetRawText()}{System.Environment.NewLine}{call.Describe()}");
            throw;
        }
    }

    [GeneratedRegex("^env_[0-9a-f]{12}7[0-9a-f]{3}[89ab][0-9a-f]{15}$")]
    private static partial Regex IdPattern();

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$")]
    private static partial Regex TimestampPattern();
}
