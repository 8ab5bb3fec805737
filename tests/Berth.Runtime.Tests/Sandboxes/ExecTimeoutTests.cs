using Berth.Runtime.Sandboxes;
using Berth.Runtime.Tests.Support;

namespace Berth.Runtime.Tests.Sandboxes;

/// <summary>A command past its time limit; waits 35 s, alongside the other test classes.</summary>
public abstract class ExecTimeoutTests(SandboxFixture sandbox)
{
    [Fact]
    public async Task Exec_PastTimeout_KillsWholeProcessTreeAndReturns137()
    {
        // The 35 s wait leaves a quick bound too little room for a start on a loaded machine.
        using var timeout = Bounded.Build();
        var containerId = await sandbox.StartSandboxAsync(timeout.Token);
        var request = Shell("echo started; sleep 30; touch /tmp/done") with { Timeout = TimeSpan.FromSeconds(2) };

        var result = await sandbox.Runtime.ExecAsync(containerId, request, null, timeout.Token);
        var processesRightAfter = await SleepersAsync(containerId, timeout.Token);
        await Task.Delay(TimeSpan.FromSeconds(35), timeout.Token);
        var doneFile = await sandbox.Runtime.ReadFileAsync(containerId, "/tmp/done", timeout.Token);

        Assert.True(result.TimedOut);
        Assert.Equal(137, result.ExitCode);
        Assert.Equal("started\n", result.Stdout);
        Assert.InRange(result.Duration, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(10));
        Assert.Equal("", processesRightAfter);
        Assert.IsType<FileReadResult.NotFound>(doneFile);
    }

    [Fact]
    public async Task Exec_PastTimeout_AlsoKillsWhatLeftTheProcessGroup()
    {
        using var timeout = Bounded.Quick();
        var containerId = await sandbox.StartSandboxAsync(timeout.Token);
        var request = Shell("setsid sleep 1000 & (setsid sh -c 'sleep 1001 & sleep 1002' &) ; sleep 30")
            with { Timeout = TimeSpan.FromSeconds(2) };

        var result = await sandbox.Runtime.ExecAsync(containerId, request, null, timeout.Token);
        var left = await sandbox.Runtime.ExecAsync(containerId,
            new ExecRequest(["sh", "-c", "ps -eo args | grep -E '^sleep 100[0-2]$' || true"]), null, timeout.Token);

        Assert.True(result.TimedOut);
        Assert.Equal("", left.Stdout);
    }

    internal static async Task<string> SleepersAsync(SandboxFixture sandbox, string containerId, CancellationToken cancellationToken)
    {
        // The sandbox's own keep-alive is "sleep infinity"; the command's are "sleep 30".
        var ps = await sandbox.Runtime.ExecAsync(containerId,
            new ExecRequest(["sh", "-c", "ps -eo args | grep -x 'sleep 30' || true"]), null, cancellationToken);

        return ps.Stdout;
    }

    private Task<string> SleepersAsync(string containerId, CancellationToken cancellationToken) =>
        SleepersAsync(sandbox, containerId, cancellationToken);

    private static ExecRequest Shell(string command) => new(["bash", "-lc", command]);
}

/// <summary>The same, with commands run through the sandbox's command agent.</summary>
public sealed class AgentExecTimeoutTests(SandboxFixture sandbox) : ExecTimeoutTests(sandbox), IClassFixture<SandboxFixture>;

/// <summary>The same, with every command an engine exec.</summary>
public sealed class EngineExecTimeoutTests(EngineExecSandboxFixture sandbox) : ExecTimeoutTests(sandbox), IClassFixture<EngineExecSandboxFixture>;
