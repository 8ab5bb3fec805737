using Berth.Runtime.Sandboxes;
using Berth.Runtime.Tests.Support;

namespace Berth.Runtime.Tests.Sandboxes;

/// <summary>A caller that goes away mid-command; waits 32 s, alongside the other test classes.</summary>
public abstract class ExecCancellationTests(SandboxFixture sandbox)
{
    [Fact]
    public async Task Exec_WhenCallerCancels_KillsWholeProcessTreeAndThrows()
    {
        using var timeout = Bounded.Quick();
        var containerId = await sandbox.StartSandboxAsync(timeout.Token);
        var output = new RecordingExecOutput();
        using var client = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token);
        var request = new ExecRequest(["bash", "-lc", "echo started; sleep 30; touch /tmp/done"]);

        var run = sandbox.Runtime.ExecAsync(containerId, request, output, client.Token);
        await output.FirstPiece.Task.WaitAsync(timeout.Token);
        await client.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);
        var processesRightAfter = await ExecTimeoutTests.SleepersAsync(sandbox, containerId, timeout.Token);
        await Task.Delay(TimeSpan.FromSeconds(32), timeout.Token);
        var doneFile = await sandbox.Runtime.ReadFileAsync(containerId, "/tmp/done", timeout.Token);

        Assert.Equal("", processesRightAfter);
        Assert.IsType<FileReadResult.NotFound>(doneFile);
    }
}

/// <summary>The same, with commands run through the sandbox's command agent.</summary>
public sealed class AgentExecCancellationTests(SandboxFixture sandbox) : ExecCancellationTests(sandbox), IClassFixture<SandboxFixture>;

/// <summary>The same, with every command an engine exec.</summary>
public sealed class EngineExecCancellationTests(EngineExecSandboxFixture sandbox) : ExecCancellationTests(sandbox), IClassFixture<EngineExecSandboxFixture>;
