using System.Text.Json;
using System.Text.Json.Nodes;
using Berth.Cli.Tests.Fixtures;

namespace Berth.Cli.Tests.Client;

/// <summary>berth env, token handling, exit codes and output formats, run as real command lines.</summary>
public sealed class EnvironmentCommandTests(CliServer server) : IClassFixture<CliServer>
{
    [Fact]
    public async Task EnvCreate_WithJson_PrintsOnlyTheCreatedEnvironment()
    {
        using var cli = server.NewCommandLine();
        var name = Unique("json");

        var result = await cli.RunAsync("env", "create", name, "--apt", "jq", "--network", "limited", "--allow-host", "*.example.com", "--json");

        Assert.True(result.ExitCode == 0, result.ToString());
        using var created = JsonDocument.Parse(result.Stdout);
        Assert.Equal(name, created.RootElement.GetProperty("name").GetString());
        AssertSameJson("""{"type":"cloud","networking":{"type":"limited","allowed_hosts":["*.example.com"]},"packages":{"apt":["jq"]}}""",
            created.RootElement.GetProperty("config"));
    }

    [Fact]
    public async Task EnvCreate_WithoutNetworkFlags_SendsNoNetworking()
    {
        using var cli = server.NewCommandLine();

        var result = await cli.RunAsync("env", "create", Unique("plain"), "--json");

        Assert.True(result.ExitCode == 0, result.ToString());
        AssertSameJson("""{"type":"cloud"}""", JsonDocument.Parse(result.Stdout).RootElement.GetProperty("config"));
    }

    [Fact]
    public async Task EnvCreate_FromYamlFile_UsesItsBody()
    {
        using var cli = server.NewCommandLine();
        var name = Unique("yaml");
        var file = Path.Combine(cli.WorkingDirectory, "env.yaml");
        await File.WriteAllTextAsync(file, $"name: {name}\nconfig:\n  type: cloud\n  packages:\n    pip: [\"pyyaml==6.0.1\"]\n");

        var result = await cli.RunAsync("env", "create", "--file", file, "--json");

        Assert.True(result.ExitCode == 0, result.ToString());
        var created = JsonDocument.Parse(result.Stdout).RootElement;
        Assert.Equal(name, created.GetProperty("name").GetString());
        Assert.Equal("pyyaml==6.0.1", created.GetProperty("config").GetProperty("packages").GetProperty("pip")[0].GetString());
    }

    [Fact]
    public async Task EnvList_ByDefault_PrintsAnAlignedTable()
    {
        using var cli = server.NewCommandLine();
        var name = Unique("table");
        await cli.RunAsync("env", "create", name, "--apt", "curl");

        var result = await cli.RunAsync("env", "list");

        Assert.Equal(0, result.ExitCode);
        var lines = result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("ID", lines[0]);
        var row = Assert.Single(lines, l => l.Contains(name, StringComparison.Ordinal));
        Assert.Equal(lines[0].IndexOf("NAME", StringComparison.Ordinal), row.IndexOf(name, StringComparison.Ordinal));
        Assert.Contains("apt: curl", row);
    }

    [Fact]
    public async Task EnvGet_ByName_FindsTheEnvironment()
    {
        using var cli = server.NewCommandLine();
        var name = Unique("byname");
        var id = JsonDocument.Parse((await cli.RunAsync("env", "create", name, "--json")).Stdout).RootElement.GetProperty("id").GetString();

        var result = await cli.RunAsync("env", "get", name, "--json");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(id, JsonDocument.Parse(result.Stdout).RootElement.GetProperty("id").GetString());
    }

    [Fact]
    public async Task EnvGet_Unknown_ExitsWithNotFoundAndShowsTheRequestId()
    {
        using var cli = server.NewCommandLine();

        var result = await cli.RunAsync("env", "get", "env_0190000000007000800000000000dead");

        Assert.Equal(4, result.ExitCode);
        Assert.Equal("", result.Stdout);
        Assert.Contains("No environment", result.Stderr);
        Assert.Matches(@"request id: \S+", result.Stderr);
    }

    [Fact]
    public async Task EnvCreate_Invalid_ExitsWithUsageAndNamesTheParam()
    {
        using var cli = server.NewCommandLine();

        var result = await cli.RunAsync("env", "create", Unique("bad"), "--network", "limited", "--allow-host", "https://example.com");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("param:", result.Stderr);
        Assert.Contains("config.networking.allowed_hosts[0]", result.Stderr);
    }

    [Fact]
    public async Task UnknownOption_ExitsWithUsage()
    {
        using var cli = server.NewCommandLine();

        var result = await cli.RunAsync("env", "list", "--no-such-option");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--no-such-option", result.Stderr);
    }

    [Fact]
    public async Task RefusedToken_ExitsWithAuthentication()
    {
        using var cli = server.NewCommandLine();

        var result = await cli.RunAsync("env", "list", "--token", "pt-not-a-real-token");

        Assert.Equal(3, result.ExitCode);
        Assert.Contains("token", result.Stderr, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task ClientOptions_BeforeTheCommand_AreTheCommands()
    {
        using var cli = new CommandLine();
        var name = Unique("leading");
        var url = server.Server.BaseAddress.ToString();

        var created = await cli.RunAsync("--url", url, $"--token={server.Server.AdminToken}", "--json", "env", "create", name);
        var refused = await cli.RunAsync("--url", url, "--token", "pt-not-a-real-token", "env", "list");

        Assert.True(created.ExitCode == 0, created.ToString());
        Assert.Equal(name, JsonDocument.Parse(created.Stdout).RootElement.GetProperty("name").GetString());
        Assert.Equal(3, refused.ExitCode);
    }

    [Fact]
    public async Task ArchiveTwice_ExitsWithConflict()
    {
        using var cli = server.NewCommandLine();
        var name = Unique("archive");
        await cli.RunAsync("env", "create", name);

        var first = await cli.RunAsync("env", "archive", name);
        var second = await cli.RunAsync("env", "archive", name);

        Assert.True(first.ExitCode == 0, first.ToString());
        Assert.Equal(5, second.ExitCode);
    }

    [Fact]
    public async Task UpdateThenDelete_ChangeAndRemoveTheEnvironment()
    {
        using var cli = server.NewCommandLine();
        var name = Unique("update");
        await cli.RunAsync("env", "create", name);

        var updated = await cli.RunAsync("env", "update", name, "--description", "now described", "--json");
        var deleted = await cli.RunAsync("env", "delete", name);
        var gone = await cli.RunAsync("env", "get", name);

        Assert.True(updated.ExitCode == 0, updated.ToString());
        Assert.Equal("now described", JsonDocument.Parse(updated.Stdout).RootElement.GetProperty("description").GetString());
        Assert.True(deleted.ExitCode == 0, deleted.ToString());
        Assert.Equal(4, gone.ExitCode);
    }

    [Fact]
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public async Task Login_SavesUrlAndTokenForLaterCommands()
    {
        using var cli = new CommandLine();

        var login = await cli.RunAsync("login", "--url", server.Server.BaseAddress.ToString(), "--token", server.Server.AdminToken);
        var listed = await cli.RunAsync("env", "list", "--json");

        Assert.True(login.ExitCode == 0, login.ToString());
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(cli.ConfigFile));
        Assert.True(listed.ExitCode == 0, listed.ToString());
        Assert.Equal(JsonValueKind.Array, JsonDocument.Parse(listed.Stdout).RootElement.GetProperty("data").ValueKind);
    }

    [Fact]
    public async Task Login_WithARefusedToken_SavesNothing()
    {
        using var cli = new CommandLine();

        var login = await cli.RunAsync("login", "--url", server.Server.BaseAddress.ToString(), "--token", "pt-refused");

        Assert.Equal(3, login.ExitCode);
        Assert.False(File.Exists(cli.ConfigFile));
    }

    [Theory]
    [InlineData("bash", "-F _berth_complete berth")]
    [InlineData("zsh", "compdef")]
    public async Task Completion_PrintsAScriptForTheShell(string shell, string marker)
    {
        using var cli = server.NewCommandLine();

        var result = await cli.RunAsync("completion", shell);

        Assert.Equal(0, result.ExitCode);
        Assert.Contains(marker, result.Stdout);
    }

    private static void AssertSameJson(string expected, JsonElement actual) =>
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(expected), JsonNode.Parse(actual.GetRawText())), $"Got {actual}");

    private static string Unique(string prefix) => $"cli-{prefix}-{Guid.NewGuid():N}"[..24];
}
