using System.Diagnostics;
using System.Globalization;
using Berth.Runtime.Sandboxes;
using Berth.Runtime.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Berth.Runtime.Tests.Sandboxes;

/// <summary>What the sandbox's command agent adds: an init nothing inside can kill, restarts, and a slow reader holding output back.</summary>
public sealed class CommandAgentTests(SandboxFixture sandbox) : IClassFixture<SandboxFixture>
{
    [Fact]
    public async Task Exec_KillingEveryProcessFromInside_LeavesTheAgentRunningAsPid1()
    {
        using var timeout = Bounded.Quick();
        var containerId = await sandbox.StartSandboxAsync(timeout.Token);
        var agent = await sandbox.Agents.FindAsync(containerId, timeout.Token);

        var killer = await sandbox.Runtime.ExecAsync(containerId,
            Shell("kill -9 $PPID; for s in KILL TERM INT HUP QUIT USR1; do kill -$s 1; done; kill -9 -1; echo survived"), null, timeout.Token);
        var init = await sandbox.Runtime.ExecAsync(containerId, new ExecRequest(["cat", "/proc/1/cmdline"]), null, timeout.Token);
        var afterwards = await sandbox.Runtime.ExecAsync(containerId, Shell("echo again; exit 4"), null, timeout.Token);

        Assert.NotNull(agent);
        Assert.Equal((0, "survived\n"), (killer.ExitCode, killer.Stdout));
        Assert.StartsWith("python3\0", init.Stdout, StringComparison.Ordinal);
        Assert.Equal((4, "again\n"), (afterwards.ExitCode, afterwards.Stdout));
        Assert.Same(agent, await sandbox.Agents.FindAsync(containerId, timeout.Token));
    }

    [Fact]
    public async Task Exec_OpeningTheAgentsDescriptors_IsRefused()
    {
        using var timeout = Bounded.Quick();
        var containerId = await sandbox.StartSandboxAsync(timeout.Token);

        // A frame that would end command 1 with exit code 0, written where the agent writes its own.
        var forger = await sandbox.Runtime.ExecAsync(containerId, Shell(
            "readlink /proc/1/fd/1 && echo resolved; printf 'X\\0\\0\\0\\1\\0\\0\\0\\4\\0\\0\\0\\0' >/proc/1/fd/1 && echo forged; "
            + "timeout 2 head -c 1 /proc/1/fd/0 && echo read; echo done"), null, timeout.Token);
        var afterwards = await sandbox.Runtime.ExecAsync(containerId, Shell("echo again"), null, timeout.Token);

        Assert.Equal("done\n", forger.Stdout);
        Assert.Contains("Permission denied", forger.Stderr, StringComparison.Ordinal);
        Assert.Equal((0, "again\n"), (afterwards.ExitCode, afterwards.Stdout));
    }

    [Fact]
    public async Task Exec_InASandboxOfAnEarlierServer_StartsAnAgentThatIsStartedAgainWhenKilled()
    {
        using var timeout = Bounded.Quick();

        // A server without the agent starts the sandbox, as an earlier server's would be found.
        var earlier = sandbox.CreateServices(o =>
        {
            o.PoolSize = 0;
            o.CommandAgent = false;
        }).GetRequiredService<SandboxRuntime>();
        var started = Assert.IsType<SandboxStarted>(await earlier.StartAsync(sandbox.NewSpec(), timeout.Token));
        var containerId = started.ContainerId;

        var first = await sandbox.Runtime.ExecAsync(containerId, Shell("echo first"), null, timeout.Token);
        var agent = await sandbox.Agents.EnsureAsync(containerId, timeout.Token);
        var clock = Stopwatch.StartNew();

        // This agent is no init: the command's parent, it can be killed.
        var killed = await sandbox.Runtime.ExecAsync(containerId, Shell("kill -9 $PPID; sleep 20"), null, timeout.Token);
        var elapsed = clock.Elapsed;
        var meanwhile = await sandbox.Runtime.ExecAsync(containerId, Shell("echo still here"), null, timeout.Token);
        var restarted = await sandbox.Agents.EnsureAsync(containerId, timeout.Token);
        var afterwards = await sandbox.Runtime.ExecAsync(containerId, Shell("echo again; exit 4"), null, timeout.Token);

        Assert.Equal("first\n", first.Stdout);
        Assert.NotNull(agent);
        Assert.Equal(137, killed.ExitCode);
        Assert.True(elapsed < TimeSpan.FromSeconds(15), $"The killed command was reported after {elapsed}.");
        Assert.Equal((0, "still here\n"), (meanwhile.ExitCode, meanwhile.Stdout));
        Assert.NotNull(restarted);
        Assert.NotSame(agent, restarted);
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
    public async Task Exec_WhenCommandsUseUpTheSandboxsMemory_TheKernelEndsCommandsAndNotTheAgent()
    {
        using var timeout = Bounded.Quick();
        var spec = sandbox.NewSpec() with { Limits = sandbox.Runtime.DefaultLimits with { MemoryBytes = 64L << 20 } };
        var started = Assert.IsType<SandboxStarted>(await sandbox.Runtime.StartAsync(spec, timeout.Token));
        var containerId = started.ContainerId;
        var agent = await sandbox.Agents.EnsureAsync(containerId, timeout.Token);

        // Sixteen shells holding 4 MB each, every one smaller than the agent, together more than
        // the sandbox has; the script counts those the kernel killed.
        var hogs = await sandbox.Runtime.ExecAsync(containerId, Shell("""
            for i in $(seq 16); do (x=$(head -c 4000000 /dev/zero | tr '\0' a); sleep 5) & pids="$pids $!"; done
            killed=0; for p in $pids; do wait $p || killed=$((killed + 1)); done; echo "$killed"
            """), null, timeout.Token);
        var afterwards = await sandbox.Runtime.ExecAsync(containerId, Shell("echo still here"), null, timeout.Token);
        var score = await sandbox.Runtime.ExecAsync(containerId, new ExecRequest(["cat", "/proc/self/oom_score_adj"]),
            null, timeout.Token);

        Assert.NotNull(agent);
        Assert.Equal(0, hogs.ExitCode);
        Assert.InRange(int.Parse(hogs.Stdout.Trim(), CultureInfo.InvariantCulture), 1, 16);
        Assert.Equal((0, "still here\n"), (afterwards.ExitCode, afterwards.Stdout));
        Assert.Equal("500\n", score.Stdout);
        Assert.Same(agent, await sandbox.Agents.FindAsync(containerId, timeout.Token));
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
