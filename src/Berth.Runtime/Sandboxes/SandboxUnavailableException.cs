namespace Berth.Runtime.Sandboxes;

/// <summary>Why a sandbox could not be used.</summary>
public enum SandboxProblem
{
    /// <summary>The container does not exist (any more).</summary>
    ContainerMissing,

    /// <summary>The container exists but is not running.</summary>
    ContainerStopped,

    /// <summary>The container runtime did not answer.</summary>
    RuntimeUnavailable,

    /// <summary>The container runtime answered with an error.</summary>
    RuntimeError,
}

/// <summary>
/// A command or file operation could not reach its sandbox at all. The outcomes of the
/// operation itself (exit codes, missing paths) are values; this is thrown only when there is
/// no sandbox to run them in, so one handler per host can answer every such call alike.
/// </summary>
public sealed class SandboxUnavailableException : Exception
{
    public SandboxUnavailableException(string containerId, SandboxProblem problem, string message, Exception? inner)
        : base(message, inner)
    {
        ContainerId = containerId;
        Problem = problem;
    }

    public string ContainerId { get; }

    public SandboxProblem Problem { get; }
}
