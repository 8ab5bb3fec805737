using Microsoft.Extensions.Logging;

namespace Berth.Runtime.Sandboxes;

/// <summary>Log messages of session sandboxes, with stable event ids in the 3100 range.</summary>
internal static partial class SandboxLog
{
    [LoggerMessage(3101, LogLevel.Information,
        "Started sandbox {ContainerId} for session {SessionId} (config {ConfigHash}, from pool: {FromPool}) in {DurationMs} ms")]
    public static partial void SandboxStarted(
        this ILogger logger, string containerId, string sessionId, string configHash, bool fromPool, long durationMs);

    [LoggerMessage(3102, LogLevel.Warning, "Sandbox for session {SessionId} could not start: {Reason}")]
    public static partial void SandboxStartFailed(this ILogger logger, string sessionId, string reason);

    [LoggerMessage(3103, LogLevel.Information, "Removed sandbox {ContainerId}")]
    public static partial void SandboxRemoved(this ILogger logger, string containerId);

    [LoggerMessage(3104, LogLevel.Information,
        "Command in sandbox {ContainerId} ran past its {TimeoutMs} ms limit; its process group was killed")]
    public static partial void ExecTimedOut(this ILogger logger, string containerId, long timeoutMs);

    [LoggerMessage(3105, LogLevel.Debug, "Command in sandbox {ContainerId} exited {ExitCode} after {DurationMs} ms")]
    public static partial void ExecFinished(this ILogger logger, string containerId, int exitCode, long durationMs);

    [LoggerMessage(3106, LogLevel.Warning, "A command's process group in sandbox {ContainerId} could not be killed: {Reason}")]
    public static partial void ProcessGroupNotKilled(this ILogger logger, string containerId, string reason);

    [LoggerMessage(3107, LogLevel.Information, "Pool of config {ConfigHash} filled with {Added} ready sandboxes")]
    public static partial void PoolFilled(this ILogger logger, string configHash, int added);

    [LoggerMessage(3108, LogLevel.Information, "Pool of config {ConfigHash} idle; removed {Removed} ready sandboxes")]
    public static partial void PoolTrimmed(this ILogger logger, string configHash, int removed);

    [LoggerMessage(3109, LogLevel.Warning, "Pool of config {ConfigHash} could not be filled: {Reason}")]
    public static partial void PoolFillFailed(this ILogger logger, string configHash, string reason);

    [LoggerMessage(3110, LogLevel.Warning, "Pooled sandbox {ContainerId} was not running and is discarded")]
    public static partial void PooledSandboxDiscarded(this ILogger logger, string containerId);

    [LoggerMessage(3111, LogLevel.Warning, "Sandbox container {ContainerId} could not be removed: {Reason}")]
    public static partial void SandboxNotRemoved(this ILogger logger, string containerId, string reason);

    [LoggerMessage(3112, LogLevel.Information, "Removed {Count} pooled sandboxes left by an earlier process")]
    public static partial void LeftoverPoolRemoved(this ILogger logger, int count);

    [LoggerMessage(3113, LogLevel.Debug, "Wrote {Size} bytes to {Path} in sandbox {ContainerId}")]
    public static partial void FileWritten(this ILogger logger, string containerId, string path, long size);

    [LoggerMessage(3114, LogLevel.Warning, "Sandbox {ContainerId} is unusable ({Problem}): {Reason}")]
    public static partial void SandboxUnavailable(this ILogger logger, string containerId, SandboxProblem problem, string reason);

    [LoggerMessage(3115, LogLevel.Warning, "The command agent of sandbox {ContainerId} wrote to stderr: {Text}")]
    public static partial void AgentSaid(this ILogger logger, string containerId, string text);

    [LoggerMessage(3116, LogLevel.Information, "The command agent of sandbox {ContainerId} ended: {Reason}")]
    public static partial void AgentEnded(this ILogger logger, string containerId, string reason);

    [LoggerMessage(3117, LogLevel.Information,
        "The command agent of sandbox {ContainerId} did not start; its commands run as engine execs: {Reason}")]
    public static partial void AgentNotStarted(this ILogger logger, string containerId, string reason);
}
