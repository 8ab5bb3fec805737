namespace Berth.Runtime.Sandboxes;

/// <summary>
/// One command running in a sandbox, through the sandbox's command agent or through an engine
/// exec: its output as it comes, its stdin, its exit code, and a kill of its whole process group.
/// </summary>
internal interface ISandboxCommand : IDisposable
{
    string ContainerId { get; }

    /// <summary>
    /// Reads stdout and stderr until the command's streams end, passing each chunk on in order.
    /// Cancelling abandons the reading (the command keeps running; <see cref="KillAsync"/> ends it).
    /// </summary>
    Task PumpAsync(Func<ExecStream, ReadOnlyMemory<byte>, ValueTask> onOutput, CancellationToken cancellationToken);

    Task WriteInputAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken);

    /// <summary>Ends the command's stdin; it reads end-of-file.</summary>
    Task CloseInputAsync(CancellationToken cancellationToken);

    /// <summary>The exit code, once <see cref="PumpAsync"/> has seen the streams end.</summary>
    Task<int> ExitCodeAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Kills the command's process group. Runs whatever the caller's state (after a timeout, a
    /// cancellation or a failure), so it takes no token and throws nothing: the reason it could
    /// not is returned.
    /// </summary>
    Task<string?> KillAsync();
}
