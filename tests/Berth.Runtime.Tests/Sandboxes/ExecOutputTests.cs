using System.Text;
using Berth.Runtime.Sandboxes;
using Berth.Runtime.Tests.Support;

namespace Berth.Runtime.Tests.Sandboxes;

public abstract class ExecOutputTests(SandboxFixture sandbox)
{
    [Fact]
    public async Task Exec_OfMultiByteCharacters_ArrivesByteIdenticalCollectedAndStreamed()
    {
        using var timeout = Bounded.Quick();
        var expected = new string('é', 4095) + string.Concat(Enumerable.Repeat("😀", 3000));
        var output = new RecordingExecOutput();
        var command = "python3 -c \"import sys; sys.stdout.buffer.write(('\\u00e9' * 4095 + '\\U0001F600' * 3000).encode())\"";

        var result = await sandbox.Runtime.ExecAsync(sandbox.SharedContainerId, Shell(command), output, timeout.Token);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(Encoding.UTF8.GetBytes(expected), Encoding.UTF8.GetBytes(result.Stdout));
        Assert.Equal(Encoding.UTF8.GetBytes(expected), Encoding.UTF8.GetBytes(output.TextOf(ExecStream.Stdout)));
        Assert.All(output.Pieces, p => Assert.False(char.IsHighSurrogate(p.Text[^1]) || char.IsLowSurrogate(p.Text[0])));
    }

    [Fact]
    public async Task Exec_OfInvalidUtf8_ReplacesItWithReplacementCharacter()
    {
        using var timeout = Bounded.Quick();

        var result = await sandbox.Runtime.ExecAsync(sandbox.SharedContainerId,
            Shell("printf 'a\\377b\\303'"), null, timeout.Token);

        Assert.Equal("a\uFFFDb\uFFFD", result.Stdout);
    }

    [Fact]
    public async Task Exec_OfSeq200000_ReturnsEveryLine()
    {
        using var timeout = Bounded.Quick();
        var expected = string.Concat(Enumerable.Range(1, 200000).Select(i => $"{i}\n"));
        var output = new RecordingExecOutput();

        var result = await sandbox.Runtime.ExecAsync(sandbox.SharedContainerId, Shell("seq 1 200000"), output, timeout.Token);

        Assert.Equal(expected, result.Stdout);
        Assert.Equal(expected, output.TextOf(ExecStream.Stdout));
        Assert.False(result.StdoutTruncated);
    }

    [Fact]
    public async Task Exec_PastMaxOutputBytes_KeepsFirstBytesOfEachStreamAndMarksTruncation()
    {
        using var timeout = Bounded.Quick();
        var output = new RecordingExecOutput();
        var request = Shell("seq 1 100000; seq 1 10 >&2") with { MaxOutputBytes = 1000 };

        var result = await sandbox.Runtime.ExecAsync(sandbox.SharedContainerId, request, output, timeout.Token);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(string.Concat(Enumerable.Range(1, 100000).Select(i => $"{i}\n"))[..1000], result.Stdout);
        Assert.True(result.StdoutTruncated);
        Assert.Equal(result.Stdout, output.TextOf(ExecStream.Stdout));
        Assert.Equal(string.Concat(Enumerable.Range(1, 10).Select(i => $"{i}\n")), result.Stderr);
        Assert.False(result.StderrTruncated);
    }

    [Fact]
    public async Task Exec_WithStdoutAndStderr_KeepsThemApart()
    {
        using var timeout = Bounded.Quick();

        var result = await sandbox.Runtime.ExecAsync(sandbox.SharedContainerId,
            Shell("echo out; echo err >&2"), null, timeout.Token);

        Assert.Equal("out\n", result.Stdout);
        Assert.Equal("err\n", result.Stderr);
    }

    [Fact]
    public async Task Exec_OfSlowCommand_StreamsOutputBeforeItEnds()
    {
        using var timeout = Bounded.Quick();
        var output = new RecordingExecOutput();

        var run = sandbox.Runtime.ExecAsync(sandbox.SharedContainerId, Shell("echo first; sleep 2; echo second"),
            output, timeout.Token);
        await output.FirstPiece.Task.WaitAsync(timeout.Token);
        var endedWhenFirstArrived = run.IsCompleted;
        var result = await run;

        Assert.False(endedWhenFirstArrived);
        Assert.Equal("first\n", output.Pieces[0].Text);
        Assert.Equal("first\nsecond\n", result.Stdout);
    }

    [Fact]
    public async Task Exec_WithStdin_ReadsItToEnd()
    {
        using var timeout = Bounded.Quick();
        var request = new ExecRequest(["sh", "-c", "cat; echo done"]) { Stdin = "line one\nzwei ü\n" };

        var result = await sandbox.Runtime.ExecAsync(sandbox.SharedContainerId, request, null, timeout.Token);

        Assert.Equal("line one\nzwei ü\ndone\n", result.Stdout);
    }

    [Fact]
    public async Task Exec_WithStdinHoldingEveryControlCharacter_PassesItThrough()
    {
        using var timeout = Bounded.Quick();

        // Among them Ctrl-P Ctrl-Q, the engine's default sequence for detaching a terminal.
        var input = string.Concat(Enumerable.Range(1, 31).Select(c => $"{(char)c}{(char)c}\u0010\u0011")) + "end";
        var request = new ExecRequest(["cat"]) { Stdin = input };

        var result = await sandbox.Runtime.ExecAsync(sandbox.SharedContainerId, request, null, timeout.Token);
        var after = await sandbox.Runtime.ExecAsync(sandbox.SharedContainerId, new ExecRequest(["echo", "after"]), null, timeout.Token);

        Assert.Equal(input, result.Stdout);
        Assert.Equal("after\n", after.Stdout);
    }

    [Fact]
    public async Task Exec_WithLargeStdin_PassesEveryByte()
    {
        using var timeout = Bounded.Quick();
        var input = string.Concat(Enumerable.Range(1, 100000).Select(i => $"{i}\n"));
        var request = new ExecRequest(["sh", "-c", "wc -c; cat >/dev/null"]) { Stdin = input };

        var result = await sandbox.Runtime.ExecAsync(sandbox.SharedContainerId, request, null, timeout.Token);

        Assert.Equal($"{input.Length}", result.Stdout.Trim());
    }

    [Fact]
    public async Task Exec_WithoutStdin_ReadsEndOfFile()
    {
        using var timeout = Bounded.Quick();

        var result = await sandbox.Runtime.ExecAsync(sandbox.SharedContainerId, Shell("cat; echo after"), null, timeout.Token);

        Assert.Equal("after\n", result.Stdout);
    }

    [Fact]
    public async Task Exec_ByDefault_RunsInWorkspaceWithHomeRoot()
    {
        using var timeout = Bounded.Quick();

        var result = await sandbox.Runtime.ExecAsync(sandbox.SharedContainerId,
            Shell("pwd; echo $HOME"), null, timeout.Token);

        Assert.Equal("/workspace\n/root\n", result.Stdout);
    }

    [Fact]
    public async Task Exec_WithWorkingDirectory_RunsThere()
    {
        using var timeout = Bounded.Quick();
        var absolute = new ExecRequest(["pwd"]) { WorkingDirectory = "/tmp" };
        var relative = new ExecRequest(["pwd"]) { WorkingDirectory = "." };

        var inTmp = await sandbox.Runtime.ExecAsync(sandbox.SharedContainerId, absolute, null, timeout.Token);
        var inWorkspace = await sandbox.Runtime.ExecAsync(sandbox.SharedContainerId, relative, null, timeout.Token);

        Assert.Equal("/tmp\n", inTmp.Stdout);
        Assert.Equal("/workspace\n", inWorkspace.Stdout);
    }

    [Fact]
    public async Task Exec_WithEnvironment_SeesVariablesAsGiven()
    {
        using var timeout = Bounded.Quick();
        var request = new ExecRequest(["sh", "-c", "printf '%s|%s|%s' \"$GREETING\" \"$SPACES\" \"$HOME\""])
        {
            Environment = new Dictionary<string, string> { ["GREETING"] = "hallo wêreld", ["SPACES"] = " a  b " },
        };

        var result = await sandbox.Runtime.ExecAsync(sandbox.SharedContainerId, request, null, timeout.Token);

        Assert.Equal("hallo wêreld| a  b |/root", result.Stdout);
    }

    [Fact]
    public async Task Exec_WithAPathThatFindsNothing_StillRunsAProgramNamedByItsPath()
    {
        using var timeout = Bounded.Quick();
        var request = new ExecRequest(["/bin/echo", "found"])
        {
            Environment = new Dictionary<string, string> { ["PATH"] = "/nonexistent" },
        };

        var result = await sandbox.Runtime.ExecAsync(sandbox.SharedContainerId, request, null, timeout.Token);

        Assert.Equal((0, "found\n"), (result.ExitCode, result.Stdout));
    }

    [Fact]
    public async Task Exec_Concurrently_KeepsEachCommandsOutputApart()
    {
        using var timeout = Bounded.Quick();

        var runs = Enumerable.Range(1, 8).Select(i => sandbox.Runtime.ExecAsync(sandbox.SharedContainerId,
            Shell($"sleep 1; seq 1 {i * 1000}; exit {i}"), null, timeout.Token)).ToList();
        var results = await Task.WhenAll(runs);

        for (var i = 1; i <= 8; i++)
        {
            Assert.Equal(i, results[i - 1].ExitCode);
            Assert.Equal(string.Concat(Enumerable.Range(1, i * 1000).Select(n => $"{n}\n")), results[i - 1].Stdout);
        }
    }

    private static ExecRequest Shell(string command) => new(["bash", "-lc", command]);
}

/// <summary>The same, with commands run through the sandbox's command agent.</summary>
public sealed class AgentExecOutputTests(SandboxFixture sandbox) : ExecOutputTests(sandbox), IClassFixture<SandboxFixture>;

/// <summary>The same, with every command an engine exec.</summary>
public sealed class EngineExecOutputTests(EngineExecSandboxFixture sandbox) : ExecOutputTests(sandbox), IClassFixture<EngineExecSandboxFixture>;
