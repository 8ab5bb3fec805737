using System.Text.Json;

namespace Berth.Core.Environments;

/// <summary>Reads config back from the store.</summary>
/// <remarks>
/// Stored config was validated when it was accepted, so it is read leniently rather than
/// validated again: rules that tighten later must not make existing environments unreadable.
/// Anything that is not the stored shape is a broken contract and throws.
/// </remarks>
internal static class StoredConfigReader
{
    public static EnvironmentConfig Read(string json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            var root = document.RootElement;

            return new EnvironmentConfig(
                ReadNetworking(root),
                ReadPackages(root),
                ReadOptionalString(root, "setup_script"));
        }
        catch (Exception exception)
            when (exception is JsonException or InvalidOperationException or KeyNotFoundException)
        {
            throw new FormatException(
                "Stored environment config is not in the form EnvironmentConfig.ToJson writes; "
                + "the stored row is corrupt or was written by an incompatible version.",
                exception);
        }
    }

    private static NetworkingConfig? ReadNetworking(JsonElement root)
    {
        if (!root.TryGetProperty("networking", out var networking))
        {
            return null;
        }

        var typeText = networking.GetProperty("type").GetString() ?? "";
        if (!NetworkingTypeNames.TryParse(typeText, out var type))
        {
            throw new InvalidOperationException($"Unknown networking type \"{typeText}\".");
        }

        return new NetworkingConfig(
            type,
            ReadOptionalList(networking, "allowed_hosts"),
            ReadOptionalBoolean(networking, "allow_package_managers"),
            ReadOptionalBoolean(networking, "allow_mcp_servers"));
    }

    private static PackagesConfig? ReadPackages(JsonElement root)
    {
        if (!root.TryGetProperty("packages", out var packages))
        {
            return null;
        }

        return new PackagesConfig(
            ReadOptionalList(packages, PackageManagerNames.Apt),
            ReadOptionalList(packages, PackageManagerNames.Pip),
            ReadOptionalList(packages, PackageManagerNames.Npm));
    }

    private static string[]? ReadOptionalList(JsonElement parent, string name) =>
        parent.TryGetProperty(name, out var list)
            ? [.. list.EnumerateArray().Select(item => item.GetString() ?? "")]
            : null;

    private static bool? ReadOptionalBoolean(JsonElement parent, string name) =>
        parent.TryGetProperty(name, out var value) ? value.GetBoolean() : null;

    private static string? ReadOptionalString(JsonElement parent, string name) =>
        parent.TryGetProperty(name, out var value) ? value.GetString() : null;
}
