namespace Berth.Runtime.Sandboxes;

/// <summary>
/// How a start ended: <see cref="SandboxStarted"/>, <see cref="SandboxStartFailed"/> or
/// <see cref="SandboxRuntimeUnavailable"/>.
/// </summary>
public abstract record SandboxStartResult
{
    private protected SandboxStartResult()
    {
    }
}

/// <summary>The sandbox runs in <paramref name="ContainerId"/>.</summary>
public sealed record SandboxStarted(string ContainerId) : SandboxStartResult
{
    /// <summary>Whether the container came pre-started from the pool.</summary>
    public bool FromPool { get; init; }
}

/// <summary>
/// The engine refused the sandbox (for example a missing image, limits above the host's, or a
/// sandbox for the session that already exists); nothing of it is left behind.
/// </summary>
public sealed record SandboxStartFailed(string Message) : SandboxStartResult;

/// <summary>The container runtime did not answer; the start can be tried again later.</summary>
public sealed record SandboxRuntimeUnavailable(string Reason) : SandboxStartResult;
