using System.Security.Cryptography;
using System.Text.Json;
using Berth.Cli.Tests.Fixtures;

namespace Berth.Cli.Tests.Client;

/// <summary>berth session, exec, cp, events and egress against a server with a real Docker engine.</summary>
public sealed class SessionCommandTests(CliServer server) : IClassFixture<CliServer>, IAsyncLifetime
{
    private readonly CommandLine _cli = server.NewCommandLine();
    private string _session = "";

    public async Task InitializeAsync()
    {
        var environment = await _cli.RunAsync("env", "create", $"cli-sessions-{Guid.NewGuid():N}"[..24], "--json");
        var id = JsonDocument.Parse(environment.Stdout).RootElement.GetProperty("id").GetString()!;
        var session = await _cli.RunAsync("session", "create", id, "--env", "GREETING=hello", "--json");
        Assert.True(session.ExitCode == 0, session.ToString());
        _session = JsonDocument.Parse(session.Stdout).RootElement.GetProperty("id").GetString()!;
    }

    public async Task DisposeAsync()
    {
        await _cli.RunAsync("session", "delete", _session);
        _cli.Dispose();
    }

    [Fact]
    public async Task SessionCreate_WaitsUntilTheSandboxIsReady()
    {
        var result = await _cli.RunAsync("session", "get", _session, "--json");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("idle", JsonDocument.Parse(result.Stdout).RootElement.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Exec_PassesOutputThroughWithTheSessionsVariables()
    {
        var result = await _cli.RunAsync("exec", _session, "--", "echo $GREETING from $(pwd); echo oops >&2");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("hello from /workspace\n", result.Stdout);
        Assert.Equal("oops\n", result.Stderr);
    }

    [Theory]
    [InlineData("exit 3", 3)]
    [InlineData("no-such-command-xyz", 127)]
    [InlineData("kill -9 $$", 137)]
    public async Task Exec_ExitsWithTheCommandsOwnCode(string command, int expected)
    {
        var result = await _cli.RunAsync("exec", _session, "--", command);

        Assert.Equal(expected, result.ExitCode);
    }

    [Fact]
    public async Task Exec_WithSeveralWords_RunsThemAsArgv()
    {
        var result = await _cli.RunAsync("exec", _session, "--", "printf", "%s|", "a b", "$HOME");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("a b|$HOME|", result.Stdout);
    }

    [Fact]
    public async Task Exec_WithJson_PrintsTheResultObjectAndStillExitsWithItsCode()
    {
        var result = await _cli.RunAsync("exec", _session, "--json", "--", "echo out; exit 4");

        Assert.Equal(4, result.ExitCode);
        var exec = JsonDocument.Parse(result.Stdout).RootElement;
        Assert.Equal(4, exec.GetProperty("exit_code").GetInt32());
        Assert.Equal("out\n", exec.GetProperty("stdout").GetString());
    }

    [Fact]
    public async Task Copy_RoundTripsAFileWithTheSameSha256()
    {
        var local = Path.Combine(_cli.WorkingDirectory, "upload.bin");
        var back = Path.Combine(_cli.WorkingDirectory, "download.bin");
        var bytes = RandomNumberGenerator.GetBytes(3 * 1024 * 1024 + 17);
        await File.WriteAllBytesAsync(local, bytes);

        var upload = await _cli.RunAsync("cp", local, $"{_session}:/workspace/data/upload.bin");
        var download = await _cli.RunAsync("cp", $"{_session}:/workspace/data/upload.bin", back);

        Assert.True(upload.ExitCode == 0, upload.ToString());
        Assert.True(download.ExitCode == 0, download.ToString());
        var expected = Convert.ToHexStringLower(SHA256.HashData(bytes));
        Assert.Contains(expected, upload.Stdout);
        Assert.Equal(expected, Convert.ToHexStringLower(SHA256.HashData(await File.ReadAllBytesAsync(back))));
    }

    [Fact]
    public async Task Copy_FromAMissingPath_ExitsWithNotFound()
    {
        var result = await _cli.RunAsync("cp", $"{_session}:/workspace/no/such/file", Path.Combine(_cli.WorkingDirectory, "x"));

        Assert.Equal(4, result.ExitCode);
    }

    [Fact]
    public async Task Copy_OfAMissingLocalFile_ExitsWithNotFound()
    {
        var result = await _cli.RunAsync("cp", Path.Combine(_cli.WorkingDirectory, "nope.csv"), $"{_session}:/workspace/");

        Assert.True(result.ExitCode == 4, result.ToString());
        Assert.Contains("nope.csv", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Events_ListCommandsAndStatusChanges()
    {
        await _cli.RunAsync("exec", _session, "--", "true");

        var result = await _cli.RunAsync("events", _session, "--json");

        Assert.True(result.ExitCode == 0, result.ToString());
        var types = JsonDocument.Parse(result.Stdout).RootElement.GetProperty("data").EnumerateArray()
            .Select(e => e.GetProperty("type").GetString()).ToList();
        Assert.Contains("session.status_changed", types);
        Assert.Contains("exec.finished", types);
    }

    [Fact]
    public async Task Egress_ListsTheSandboxesNetworkDecisions()
    {
        await _cli.RunAsync("exec", _session, "--", "getent hosts example.invalid || true");

        var json = await _cli.RunAsync("egress", _session, "--json");
        var table = await _cli.RunAsync("egress", _session);

        Assert.True(json.ExitCode == 0, json.ToString());
        Assert.Equal(JsonValueKind.Array, JsonDocument.Parse(json.Stdout).RootElement.GetProperty("data").ValueKind);
        Assert.True(table.ExitCode == 0, table.ToString());
        Assert.Contains("VERDICT", table.Stdout);
    }

    [Fact]
    public async Task SessionList_ShowsTheSession()
    {
        var result = await _cli.RunAsync("session", "list");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains(_session, result.Stdout);
    }
}
