using System.Globalization;
using System.Text.Json;
using Berth.Cli.Client;

namespace Berth.Cli.Output;

/// <summary>Short human renderings of API values for tables and detail views.</summary>
internal static class Formats
{
    /// <summary>An RFC 3339 timestamp cut to whole seconds: <c>2026-05-18T15:28:07Z</c>.</summary>
    public static string Time(string? timestamp) =>
        DateTimeOffset.TryParse(timestamp, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time)
            ? time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)
            : timestamp ?? "";

    public static string Duration(long? milliseconds) => milliseconds switch
    {
        null => "",
        < 1000 => string.Create(CultureInfo.InvariantCulture, $"{milliseconds} ms"),
        < 120_000 => string.Create(CultureInfo.InvariantCulture, $"{milliseconds / 1000.0:0.0} s"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{milliseconds / 60_000} min {milliseconds % 60_000 / 1000} s"),
    };

    /// <summary>The networking of a config, such as <c>limited (example.com, package managers)</c>.</summary>
    public static string Networking(JsonElement config)
    {
        if (config.Child("networking") is not { } networking)
        {
            return "unrestricted";
        }

        var extras = Strings(networking, "allowed_hosts").ToList();
        if (networking.Flag("allow_package_managers"))
        {
            extras.Add("package managers");
        }

        if (networking.Flag("allow_mcp_servers"))
        {
            extras.Add("MCP servers");
        }

        var type = networking.Text("type") ?? "unrestricted";

        return extras.Count == 0 ? type : $"{type} ({string.Join(", ", extras)})";
    }

    /// <summary>The packages of a config, such as <c>apt: curl git; pip: pandas</c>.</summary>
    public static string Packages(JsonElement config)
    {
        if (config.Child("packages") is not { ValueKind: JsonValueKind.Object } packages)
        {
            return "";
        }

        var managers = packages.EnumerateObject()
            .Where(p => p.Value.ValueKind == JsonValueKind.Array && p.Value.GetArrayLength() > 0)
            .Select(p => $"{p.Name}: {string.Join(' ', Strings(packages, p.Name))}");

        return string.Join("; ", managers);
    }

    /// <summary>An object's members as <c>key=value</c> pairs, the values compact.</summary>
    public static string Pairs(JsonElement? value)
    {
        if (value is not { ValueKind: JsonValueKind.Object } members)
        {
            return value?.ValueKind is JsonValueKind.Undefined or null ? "" : value.Value.GetRawText();
        }

        return string.Join(' ', members.EnumerateObject().Select(m =>
            $"{m.Name}={(m.Value.ValueKind == JsonValueKind.String ? m.Value.GetString() : m.Value.GetRawText())}"));
    }

    public static IEnumerable<string> Strings(JsonElement element, string name) =>
        element.Child(name) is { ValueKind: JsonValueKind.Array } array
            ? array.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.String).Select(e => e.GetString()!)
            : [];
}
