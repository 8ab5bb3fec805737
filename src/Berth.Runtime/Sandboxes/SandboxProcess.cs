using Berth.Runtime.Docker;

namespace Berth.Runtime.Sandboxes;

/// <summary>
/// One command running in a sandbox as an engine exec under <see cref="ProcessGroupWrapper"/>:
/// its output read as it comes, its stdin, its exit code, and a kill of its whole process group.
/// </summary>
internal sealed class SandboxProcess : ISandboxCommand
{
    private const int ReadBufferSize = 64 * 1024;

    // How long a kill waits for the wrapper to have reported the group, and for the kill itself.
    private static readonly TimeSpan GroupWait = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan KillTimeout = TimeSpan.FromSeconds(15);

    private readonly DockerExecOperations _exec;
    private readonly string _execId;
    private readonly ExecAttachment _attachment;
    private readonly ProcessGroupMarker _marker = new();

    private SandboxProcess(DockerExecOperations exec, string containerId, string execId, ExecAttachment attachment)
    {
        _exec = exec;
        ContainerId = containerId;
        _execId = execId;
        _attachment = attachment;
    }

    public string ContainerId { get; }

    public static async Task<SandboxProcess> StartAsync(
        DockerExecOperations exec, string containerId, string workingDirectory, IReadOnlyList<string> argv,
        IReadOnlyList<string> env, bool withInput, CancellationToken cancellationToken)
    {
        // The engine's own working directory is "/", which always exists; the wrapper changes to
        // the requested one, so that a missing directory is the command's error, not the engine's.
        var command = new ExecCommand(ProcessGroupWrapper.Arguments(workingDirectory, argv), env, "/");
        var execId = await exec.CreateAsync(containerId, command, withInput, cancellationToken).ConfigureAwait(false);
        var attachment = await exec.StartAsync(execId, cancellationToken).ConfigureAwait(false);

        return new SandboxProcess(exec, containerId, execId, attachment);
    }

    /// <summary>
    /// Reads stdout and stderr until the command's streams end, passing each chunk on in order.
    /// Cancelling abandons the connection (the command keeps running; <see cref="KillAsync(string?)"/> ends it).
    /// </summary>
    public async Task PumpAsync(
        Func<ExecStream, ReadOnlyMemory<byte>, ValueTask> onOutput, CancellationToken cancellationToken)
    {
        // Reads on the hijacked connection do not all observe the token; closing it does end them.
        using var abandon = cancellationToken.Register(_attachment.Dispose);
        var buffer = new byte[ReadBufferSize];
        try
        {
            while (true)
            {
                var chunk = await _attachment.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
                if (chunk.Ended)
                {
                    break;
                }

                var bytes = buffer.AsMemory(0, chunk.Count);
                var stream = chunk.IsStderr ? ExecStream.Stderr : ExecStream.Stdout;
                var output = chunk.IsStderr ? bytes : _marker.Take(bytes);
                if (!output.IsEmpty)
                {
                    await onOutput(stream, output).ConfigureAwait(false);
                }
            }
        }
        catch (Exception e) when (cancellationToken.IsCancellationRequested && e is not OperationCanceledException)
        {
            throw new OperationCanceledException("Reading the command's output was abandoned.", e, cancellationToken);
        }

        var rest = _marker.End();
        if (!rest.IsEmpty)
        {
            await onOutput(ExecStream.Stdout, rest).ConfigureAwait(false);
        }
    }

    public Task WriteInputAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        _attachment.WriteInputAsync(buffer, offset, count, cancellationToken);

    public void CloseInput() => _attachment.CloseInput();

    public Task CloseInputAsync(CancellationToken cancellationToken)
    {
        CloseInput();
        return Task.CompletedTask;
    }

    public Task<string?> KillAsync() => KillAsync(null);

    /// <summary>The exit code, once <see cref="PumpAsync"/> has seen the streams end.</summary>
    public async Task<int> ExitCodeAsync(CancellationToken cancellationToken) =>
        (int)await _exec.WaitForExitCodeAsync(_execId, cancellationToken).ConfigureAwait(false);

    /// <summary>
    /// Kills the command's process group and then removes <paramref name="leftover"/>, if given.
    /// Runs whatever the caller's state (after a timeout, a cancellation or a failure), so it takes
    /// no token and throws nothing: the reason it could not is returned.
    /// </summary>
    public async Task<string?> KillAsync(string? leftover)
    {
        using var timeout = new CancellationTokenSource(KillTimeout);
        try
        {
            var group = await _marker.Group.WaitAsync(GroupWait, timeout.Token).ConfigureAwait(false);

            // Group 1 is the container's init, and "kill -1" would be every process: never those.
            if (group is not > 1)
            {
                return "the command did not report its process group";
            }

            var kill = new ExecCommand(ProcessGroupWrapper.Kill(group.Value, leftover), [], "/");
            await _exec.RunAsync(ContainerId, kill, _ => { }, timeout.Token).ConfigureAwait(false);

            return null;
        }
        catch (Exception e) when (e is RuntimeUnavailableException or RuntimeOperationException
            or OperationCanceledException or TimeoutException)
        {
            return e.Message;
        }
    }

    public void Dispose() => _attachment.Dispose();
}
