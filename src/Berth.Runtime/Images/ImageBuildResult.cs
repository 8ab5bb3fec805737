namespace Berth.Runtime.Images;

/// <summary>
/// How a build ended: <see cref="ImageBuilt"/>, <see cref="ImageBuildFailed"/> or
/// <see cref="RuntimeUnavailable"/>.
/// </summary>
public abstract record ImageBuildResult
{
    private protected ImageBuildResult()
    {
    }
}

/// <summary>
/// The image exists under <paramref name="Image"/>; <paramref name="CacheHit"/> when it
/// existed before this call.
/// </summary>
public sealed record ImageBuilt(string Image, string ImageId, bool CacheHit, TimeSpan Duration) : ImageBuildResult;

/// <summary>
/// A step failed and no image was tagged. <paramref name="ExitCode"/> is the step's exit code,
/// or null when no process ran (the engine refused an operation); <paramref name="LogTail"/> is
/// the end of the step's output.
/// </summary>
public sealed record ImageBuildFailed(
    string Step, int? ExitCode, string Message, string LogTail, TimeSpan Duration) : ImageBuildResult;

/// <summary>The container runtime did not answer; the build can be tried again later.</summary>
public sealed record RuntimeUnavailable(string Reason) : ImageBuildResult;
