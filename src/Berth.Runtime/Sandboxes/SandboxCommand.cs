using Berth.Runtime.Docker;

namespace Berth.Runtime.Sandboxes;

/// <summary>What one of Berth's own small commands in a sandbox printed, and how it exited.</summary>
internal sealed record CommandOutput(int ExitCode, byte[] Stdout, string Stderr);

/// <summary>Runs Berth's own small commands (listings, deletions) in a sandbox, output collected whole.</summary>
internal static class SandboxCommand
{
    // A listing of a directory with a hundred thousand entries stays well below this.
    private const long MaxStdoutBytes = 64 * 1024 * 1024;
    private const long MaxStderrBytes = 16 * 1024;

    public static async Task<CommandOutput> RunAsync(
        DockerExecOperations exec, string containerId, IReadOnlyList<string> argv, CancellationToken cancellationToken)
    {
        using var process = await SandboxProcess.StartAsync(
            exec, containerId, "/", argv, [], withInput: false, cancellationToken).ConfigureAwait(false);
        using var stdout = new MemoryStream();
        var stderr = new ExecOutputText(MaxStderrBytes);

        await process.PumpAsync((stream, bytes) =>
        {
            if (stream == ExecStream.Stderr)
            {
                stderr.Append(bytes.Span);
            }
            else if (stdout.Length + bytes.Length <= MaxStdoutBytes)
            {
                stdout.Write(bytes.Span);
            }

            return ValueTask.CompletedTask;
        }, cancellationToken).ConfigureAwait(false);
        var exitCode = await process.ExitCodeAsync(cancellationToken).ConfigureAwait(false);
        stderr.Finish();

        return new CommandOutput(exitCode, stdout.ToArray(), stderr.ToString().Trim());
    }
}
