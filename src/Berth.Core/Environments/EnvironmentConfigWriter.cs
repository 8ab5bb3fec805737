using System.Text.Json;

namespace Berth.Core.Environments;

/// <summary>Writes config in its wire and stored form, leaving out every field that was not sent.</summary>
internal static class EnvironmentConfigWriter
{
    public static void Write(Utf8JsonWriter writer, EnvironmentConfig config)
    {
        writer.WriteStartObject();
        writer.WriteString("type", EnvironmentConfig.CloudType);

        if (config.Networking is { } networking)
        {
            writer.WritePropertyName("networking");
            WriteNetworking(writer, networking);
        }

        if (config.Packages is { } packages)
        {
            writer.WritePropertyName("packages");
            WritePackages(writer, packages);
        }

        if (config.SetupScript is { } script)
        {
            writer.WriteString("setup_script", script);
        }

        writer.WriteEndObject();
    }

    private static void WriteNetworking(Utf8JsonWriter writer, NetworkingConfig networking)
    {
        writer.WriteStartObject();
        writer.WriteString("type", NetworkingTypeNames.ToWire(networking.Type));
        WriteList(writer, "allowed_hosts", networking.AllowedHosts);

        if (networking.AllowPackageManagers is { } packageManagers)
        {
            writer.WriteBoolean("allow_package_managers", packageManagers);
        }

        if (networking.AllowMcpServers is { } mcpServers)
        {
            writer.WriteBoolean("allow_mcp_servers", mcpServers);
        }

        writer.WriteEndObject();
    }

    private static void WritePackages(Utf8JsonWriter writer, PackagesConfig packages)
    {
        writer.WriteStartObject();
        foreach (var manager in PackageManagerNames.All)
        {
            WriteList(writer, PackageManagerNames.ToWire(manager), packages.For(manager));
        }

        writer.WriteEndObject();
    }

    private static void WriteList(Utf8JsonWriter writer, string name, IReadOnlyList<string>? items)
    {
        if (items is null)
        {
            return;
        }

        writer.WriteStartArray(name);
        foreach (var item in items)
        {
            writer.WriteStringValue(item);
        }

        writer.WriteEndArray();
    }
}
