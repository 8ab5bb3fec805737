using System.CommandLine;
using System.Text.Json.Nodes;
using Berth.Cli.Invocation;

namespace Berth.Cli.Commands.Environments;

/// <summary>
/// The flags that describe an environment's config, shared by <c>env create</c> and
/// <c>env update</c>. Each flag replaces the part of the config it names and leaves the rest.
/// </summary>
internal sealed class EnvironmentConfigOptions
{
    private static readonly string[] NetworkTypes = ["unrestricted", "limited", "allowed_hosts"];

    private readonly Option<string?> _network = new("--network")
    {
        Description = "Egress policy: unrestricted, limited or allowed_hosts.",
        HelpName = "type",
    };

    private readonly Option<string[]> _allowHosts = new("--allow-host")
    {
        Description = "A host the sandbox may reach, such as example.com or *.example.com; repeat for more.",
        HelpName = "pattern",
    };

    private readonly Option<bool> _allowPackageManagers = new("--allow-package-managers")
    {
        Description = "With limited networking, also allow the apt, pip and npm registries.",
    };

    private readonly Option<bool> _allowMcpServers = new("--allow-mcp-servers")
    {
        Description = "With limited networking, also allow the server's configured MCP hosts.",
    };

    private readonly Option<string[]> _apt = new("--apt") { Description = "An apt package to install; repeat for more.", HelpName = "package" };

    private readonly Option<string[]> _pip = new("--pip") { Description = "A pip requirement to install; repeat for more.", HelpName = "requirement" };

    private readonly Option<string[]> _npm = new("--npm") { Description = "An npm package to install; repeat for more.", HelpName = "package" };

    private readonly Option<string?> _setupScript = new("--setup-script")
    {
        Description = "A file whose text runs as root with bash -e after the packages install (- for stdin).",
        HelpName = "file",
    };

    public EnvironmentConfigOptions() => _network.AcceptOnlyFromAmong(NetworkTypes);

    public void AddTo(Command command)
    {
        foreach (var option in new Option[] { _network, _allowHosts, _allowPackageManagers, _allowMcpServers, _apt, _pip, _npm, _setupScript })
        {
            command.Options.Add(option);
        }
    }

    public bool AnyGiven(ClientContext context) =>
        new Option[] { _network, _allowHosts, _allowPackageManagers, _allowMcpServers, _apt, _pip, _npm, _setupScript }
            .Any(context.Has);

    /// <summary>Writes the flags into <paramref name="config"/>, keeping what they do not name.</summary>
    public async Task ApplyAsync(ClientContext context, JsonObject config, CancellationToken cancellationToken)
    {
        ApplyNetworking(context, config);
        ApplyPackages(context, config);
        if (context.Value(_setupScript) is { } script)
        {
            config["setup_script"] = script == "-"
                ? await Console.In.ReadToEndAsync(cancellationToken)
                : await ReadScriptAsync(script, cancellationToken);
        }
    }

    private void ApplyNetworking(ClientContext context, JsonObject config)
    {
        var hosts = context.Value(_allowHosts) ?? [];
        var packageManagers = context.Has(_allowPackageManagers);
        var mcpServers = context.Has(_allowMcpServers);
        var type = context.Value(_network);
        if (type is null && hosts.Length == 0 && !packageManagers && !mcpServers)
        {
            return;
        }

        // A new type starts a new policy: the old one's hosts and flags might not be allowed with it.
        var networking = type is null && config["networking"] is JsonObject current
            ? (JsonObject)current.DeepClone()
            : new JsonObject();
        networking["type"] = type ?? (string?)networking["type"] ?? (hosts.Length > 0 && !packageManagers && !mcpServers
            ? "allowed_hosts"
            : "limited");
        if (hosts.Length > 0)
        {
            networking["allowed_hosts"] = new JsonArray([.. hosts.Select(h => JsonValue.Create(h))]);
        }

        if (packageManagers)
        {
            networking["allow_package_managers"] = context.Value(_allowPackageManagers);
        }

        if (mcpServers)
        {
            networking["allow_mcp_servers"] = context.Value(_allowMcpServers);
        }

        config["networking"] = networking;
    }

    private void ApplyPackages(ClientContext context, JsonObject config)
    {
        var given = new[] { ("apt", _apt), ("pip", _pip), ("npm", _npm) }
            .Where(m => context.Has(m.Item2))
            .ToList();
        if (given.Count == 0)
        {
            return;
        }

        var packages = config["packages"] is JsonObject current ? (JsonObject)current.DeepClone() : new JsonObject();
        foreach (var (manager, option) in given)
        {
            packages[manager] = new JsonArray([.. (context.Value(option) ?? []).Select(p => JsonValue.Create(p))]);
        }

        config["packages"] = packages;
    }

    private static async Task<string> ReadScriptAsync(string path, CancellationToken cancellationToken) =>
        File.Exists(path)
            ? await File.ReadAllTextAsync(path, cancellationToken)
            : throw new UsageException($"No setup script file {path} exists.");
}
