using Berth.Runtime.Sandboxes;
using Berth.Runtime.Tests.Support;

namespace Berth.Runtime.Tests.Sandboxes;

public abstract class ExecExitCodeTests(SandboxFixture sandbox)
{
    [Fact]
    public async Task Exec_OfMissingCommand_Returns127WithNotFoundOnStderr()
    {
        using var timeout = Bounded.Quick();

        var result = await sandbox.Runtime.ExecAsync(sandbox.SharedContainerId,
            Shell("nonexistent-cmd-xyz"), null, timeout.Token);

        Assert.Equal(127, result.ExitCode);
        Assert.Contains("not found", result.Stderr, StringComparison.Ordinal);
        Assert.False(result.TimedOut);
    }

    [Fact]
    public async Task Exec_OfMissingProgramInArgv_Returns127WithNotFoundOnStderr()
    {
        using var timeout = Bounded.Quick();

        var result = await sandbox.Runtime.ExecAsync(sandbox.SharedContainerId,
            new ExecRequest(["nonexistent-cmd-xyz", "--flag"]), null, timeout.Token);

        Assert.Equal(127, result.ExitCode);
        Assert.Equal("nonexistent-cmd-xyz: command not found\n", result.Stderr);
    }

    [Fact]
    public async Task Exec_OfMissingProgramPathInArgv_Returns127WithNotFoundOnStderr()
    {
        using var timeout = Bounded.Quick();

        var result = await sandbox.Runtime.ExecAsync(sandbox.SharedContainerId,
            new ExecRequest(["/no/such/tool"]), null, timeout.Token);

        Assert.Equal((127, "/no/such/tool: command not found\n"), (result.ExitCode, result.Stderr));
    }

    [Fact]
    public async Task Exec_OfExit3_Returns3()
    {
        using var timeout = Bounded.Quick();

        var result = await sandbox.Runtime.ExecAsync(sandbox.SharedContainerId, Shell("exit 3"), null, timeout.Token);

        Assert.Equal(3, result.ExitCode);
    }

    [Fact]
    public async Task Exec_KilledBySigkill_Returns137WithoutTimeout()
    {
        using var timeout = Bounded.Quick();

        var result = await sandbox.Runtime.ExecAsync(sandbox.SharedContainerId,
            Shell("kill -9 $$"), null, timeout.Token);

        Assert.Equal(137, result.ExitCode);
        Assert.False(result.TimedOut);
    }

    [Fact]
    public async Task Exec_KilledBySigterm_Returns143()
    {
        using var timeout = Bounded.Quick();

        var result = await sandbox.Runtime.ExecAsync(sandbox.SharedContainerId,
            Shell("kill -TERM $$"), null, timeout.Token);

        Assert.Equal(143, result.ExitCode);
    }

    [Fact]
    public async Task Exec_InMissingWorkingDirectory_Returns1WithReason()
    {
        using var timeout = Bounded.Quick();
        var request = Shell("pwd") with { WorkingDirectory = "/no/such/dir" };

        var result = await sandbox.Runtime.ExecAsync(sandbox.SharedContainerId, request, null, timeout.Token);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("/no/such/dir", result.Stderr, StringComparison.Ordinal);
    }

    private static ExecRequest Shell(string command) => new(["bash", "-lc", command]);
}

/// <summary>The same, with commands run through the sandbox's command agent.</summary>
public sealed class AgentExecExitCodeTests(SandboxFixture sandbox) : ExecExitCodeTests(sandbox), IClassFixture<SandboxFixture>;

/// <summary>The same, with every command an engine exec.</summary>
public sealed class EngineExecExitCodeTests(EngineExecSandboxFixture sandbox) : ExecExitCodeTests(sandbox), IClassFixture<EngineExecSandboxFixture>;
