using System.Diagnostics;
using Berth.Runtime.Sandboxes;
using Berth.Runtime.Tests.Support;

namespace Berth.Runtime.Tests.Sandboxes;

/// <summary>What the sandbox's command agent adds: its own end, and a slow reader holding output back.</summary>
public sealed class CommandAgentTests(SandboxFixture sandbox) : IClassFixture<SandboxFixture>
{
    [Fact]
    public async Task Exec_WhenTheAgentIsKilledFromInside_ReportsTheCommandKilledAndLaterCommandsRun()
    {
        using var timeout = Bounded.Quick();
        var containerId = await sandbox.StartSandboxAsync(timeout.Token);
        var clock = Stopwatch.StartNew();

        // The agent is the command's parent.
        var killed = await sandbox.Runtime.ExecAsync(containerId, Shell("kill -9 $PPID; sleep 20"), null, timeout.Token);
        var elapsed = clock.Elapsed;
        var meanwhile = await sandbox.Runtime.ExecAsync(containerId, Shell("echo still here"), null, timeout.Token);
        var restarted = await sandbox.Agents.EnsureAsync(containerId, timeout.Token);
        var afterwards = await sandbox.Runtime.ExecAsync(containerId, Shell("echo again; exit 4"), null, timeout.Token);

        Assert.Equal(137, killed.ExitCode);
        Assert.True(elapsed < TimeSpan.FromSeconds(15), $"The killed command was reported after {elapsed}.");
        Assert.Equal((0, "still here\n"), (meanwhile.ExitCode, meanwhile.Stdout));
        Assert.NotNull(restarted);
        Assert.Equal((4, "again\n"), (afterwards.ExitCode, afterwards.Stdout));
    }

    [Fact]
    public async Task Exec_WithASlowReader_DeliversEveryByteInOrder()
    {
        using var timeout = Bounded.Quick();
        var output = new SlowExecOutput();

        // 3 MiB of numbered lines, three times the agent's window of unacknowledged output.
        var result = await sandbox.Runtime.ExecAsync(sandbox.SharedContainerId,
            Shell("seq -w 1 500000 | head -c 3145728"), output, timeout.Token);

        var expected = string.Concat(Enumerable.Range(1, 500000).Select(n => $"{n:D6}\n"))[..3145728];
        Assert.Equal(0, result.ExitCode);
        Assert.Equal(expected, output.Text);
        Assert.Equal(expected, result.Stdout);
    }

    [Fact]
    public async Task Exec_WhenTheContainerIsRemovedDuringACommand_ThrowsSandboxUnavailable()
    {
        using var timeout = Bounded.Quick();
        var containerId = await sandbox.StartSandboxAsync(timeout.Token);
        var output = new RecordingExecOutput();
        var running = sandbox.Runtime.ExecAsync(containerId, Shell("echo started; sleep 30"), output, timeout.Token);
        await output.FirstPiece.Task.WaitAsync(timeout.Token);

        await sandbox.Runtime.RemoveAsync(containerId, timeout.Token);

        var outcome = await Record.ExceptionAsync(async () =>
        {
            var r = await running;
            throw new InvalidOperationException($"{r.ExitCode} {r.Stdout} {r.Stderr}");
        });
        Assert.True(outcome is SandboxUnavailableException, outcome?.ToString());
    }

    private static ExecRequest Shell(string command) => new(["bash", "-lc", command]);

    private sealed class SlowExecOutput : IExecOutput
    {
        private readonly System.Text.StringBuilder _text = new();

        public string Text => _text.ToString();

        public async ValueTask WriteAsync(ExecStream stream, string text, CancellationToken cancellationToken)
        {
            _text.Append(text);
            await Task.Delay(2, cancellationToken);
        }
    }
}
