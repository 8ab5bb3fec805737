using System.Diagnostics;
using System.Text;
using Berth.Runtime.Docker;
using Berth.Runtime.Sandboxes.Agent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Berth.Runtime.Sandboxes;

/// <summary>
/// Runs commands in sandboxes: output streamed and collected, stdin, a time limit that kills the
/// command's whole process group, and the same kill when the caller gives up. Commands go through
/// the sandbox's command agent when it has a ready one, and are engine execs otherwise.
/// </summary>
internal sealed class SandboxExec(
    DockerExecOperations exec, CommandAgents agents, IOptions<SandboxOptions> options, ILogger<SandboxExec> logger)
{
    private const int TimedOutExitCode = 137;
    private const int StdinChunkSize = 64 * 1024;

    // After the kill, the engine closes the command's streams within about two seconds even when
    // a process outside the group still holds them; past this, the connection is abandoned.
    private static readonly TimeSpan DrainAfterKill = TimeSpan.FromSeconds(5);

    private readonly SandboxOptions _options = options.Value;

    public async Task<ExecResult> RunAsync(
        string containerId, ExecRequest request, IExecOutput? output, CancellationToken cancellationToken)
    {
        var timeout = request.Timeout ?? _options.DefaultExecTimeout;
        var stdout = new ExecOutputText(request.MaxOutputBytes);
        var stderr = new ExecOutputText(request.MaxOutputBytes);
        var clock = Stopwatch.StartNew();

        using var process = await StartAsync(containerId, request, cancellationToken).ConfigureAwait(false);
        using var abandon = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var stdin = WriteStdinAsync(process, request.Stdin, abandon.Token);
        var pump = process.PumpAsync(
            (stream, bytes) => DeliverAsync(stream, bytes, stdout, stderr, output, cancellationToken),
            abandon.Token);

        var timedOut = false;
        var settled = false;
        try
        {
            timedOut = !await CompletesWithinAsync(pump, timeout, cancellationToken).ConfigureAwait(false);
            if (timedOut)
            {
                // Timers may fire a little before the stopwatch says the time is up; a command is
                // never reported timed out before its limit.
                if (timeout - clock.Elapsed is { Ticks: > 0 } early)
                {
                    await Task.Delay(early, cancellationToken).ConfigureAwait(false);
                }

                logger.ExecTimedOut(containerId, (long)timeout.TotalMilliseconds);
                await KillAsync(process).ConfigureAwait(false);
                abandon.CancelAfter(DrainAfterKill);
                await DrainAsync(pump).ConfigureAwait(false);
            }

            var exitCode = timedOut
                ? TimedOutExitCode
                : await process.ExitCodeAsync(cancellationToken).ConfigureAwait(false);
            settled = true;
            await DeliverAsync(ExecStream.Stdout, stdout.Finish(), output, cancellationToken).ConfigureAwait(false);
            await DeliverAsync(ExecStream.Stderr, stderr.Finish(), output, cancellationToken).ConfigureAwait(false);
            logger.ExecFinished(containerId, exitCode, clock.ElapsedMilliseconds);

            return new ExecResult(exitCode, stdout.ToString(), stderr.ToString(), timedOut,
                stdout.Truncated, stderr.Truncated, clock.Elapsed)
            {
                EndedWithAgent = process is AgentCommand { EndedWithAgent: true },
            };
        }
        finally
        {
            // Cancelled, or the output could not be delivered, or the engine failed: nothing is
            // left running behind a caller that is gone.
            if (!settled)
            {
                await KillAsync(process).ConfigureAwait(false);
            }

            await abandon.CancelAsync().ConfigureAwait(false);
            await stdin.ConfigureAwait(false);

            // Started once an engine exec is over, so as not to slow it down, the agent runs the
            // sandbox's next commands.
            if (process is SandboxProcess)
            {
                agents.Launch(containerId);
            }
        }
    }

    private async Task<ISandboxCommand> StartAsync(
        string containerId, ExecRequest request, CancellationToken cancellationToken)
    {
        var workingDirectory = SandboxPaths.Resolve(request.WorkingDirectory);
        var withInput = request.Stdin is not null;
        if (await agents.FindAsync(containerId, cancellationToken).ConfigureAwait(false) is { } agent)
        {
            try
            {
                return await agent.RunAsync(workingDirectory, request.Argv, request.Environment, withInput,
                    cancellationToken).ConfigureAwait(false);
            }
            catch (CommandAgentEndedException)
            {
                // The agent ended a moment ago; the engine runs this command.
            }
        }

        return await SandboxProcess.StartAsync(exec, containerId, workingDirectory, request.Argv,
            EnvironmentOf(request), withInput, cancellationToken).ConfigureAwait(false);
    }

    private static List<string> EnvironmentOf(ExecRequest request) =>
        request.Environment?.Select(v => $"{v.Key}={v.Value}").ToList() ?? [];

    private static async Task<bool> CompletesWithinAsync(Task task, TimeSpan timeout, CancellationToken cancellationToken)
    {
        try
        {
            await task.WaitAsync(timeout, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }

    private static async Task DrainAsync(Task pump)
    {
        try
        {
            await pump.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Abandoned after the grace period: something outside the killed group kept the streams open.
        }
    }

    // Stdin is written alongside the output being read, so that a command that writes before it
    // reads cannot deadlock against a full pipe. A command that exits without reading all of it
    // closes the connection under the writer, which is no error of the command's.
    private static async Task WriteStdinAsync(ISandboxCommand process, string? text, CancellationToken cancellationToken)
    {
        if (text is null)
        {
            return;
        }

        try
        {
            var bytes = Encoding.UTF8.GetBytes(text);
            for (var offset = 0; offset < bytes.Length; offset += StdinChunkSize)
            {
                var count = Math.Min(StdinChunkSize, bytes.Length - offset);
                await process.WriteInputAsync(bytes, offset, count, cancellationToken).ConfigureAwait(false);
            }

            await process.CloseInputAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is RuntimeUnavailableException or CommandAgentEndedException or IOException
            or ObjectDisposedException or OperationCanceledException)
        {
            // The output side reports what became of the command.
        }
    }

    private static ValueTask DeliverAsync(
        ExecStream stream, ReadOnlyMemory<byte> bytes, ExecOutputText stdout, ExecOutputText stderr,
        IExecOutput? output, CancellationToken cancellationToken)
    {
        var text = (stream == ExecStream.Stdout ? stdout : stderr).Append(bytes.Span);

        return DeliverAsync(stream, text, output, cancellationToken);
    }

    private static ValueTask DeliverAsync(
        ExecStream stream, string text, IExecOutput? output, CancellationToken cancellationToken) =>
        text.Length == 0 || output is null ? ValueTask.CompletedTask : output.WriteAsync(stream, text, cancellationToken);

    private async Task KillAsync(ISandboxCommand process)
    {
        var problem = await process.KillAsync().ConfigureAwait(false);
        if (problem is not null)
        {
            logger.ProcessGroupNotKilled(process.ContainerId, problem);
        }
    }
}
