using Microsoft.Extensions.Logging;

namespace Berth.Runtime;

/// <summary>Log messages of the runtime, with stable event ids in the 3000 range.</summary>
internal static partial class RuntimeLog
{
    [LoggerMessage(3001, LogLevel.Information, "Building environment image {Image}")]
    public static partial void BuildStarted(this ILogger logger, string image);

    [LoggerMessage(3002, LogLevel.Information, "Environment image {Image} exists; build skipped")]
    public static partial void BuildCacheHit(this ILogger logger, string image);

    [LoggerMessage(3003, LogLevel.Information, "Built environment image {Image} ({ImageId}) in {DurationMs} ms")]
    public static partial void BuildSucceeded(this ILogger logger, string image, string imageId, long durationMs);

    [LoggerMessage(3004, LogLevel.Warning,
        "Build of {Image} failed in step {Step} with exit code {ExitCode}: {Reason}")]
    public static partial void BuildFailed(
        this ILogger logger, string image, string step, int? exitCode, string reason);

    [LoggerMessage(3005, LogLevel.Debug, "Build of {Image}: step {Step} exited {ExitCode} after {DurationMs} ms")]
    public static partial void StepFinished(
        this ILogger logger, string image, string step, int exitCode, long durationMs);

    [LoggerMessage(3006, LogLevel.Warning, "Container runtime unavailable: {Reason}")]
    public static partial void RuntimeUnavailable(this ILogger logger, string reason);

    [LoggerMessage(3007, LogLevel.Information, "Making base image {Image} with mmdebstrap; this takes a few minutes")]
    public static partial void BaseImageMaking(this ILogger logger, string image);

    [LoggerMessage(3008, LogLevel.Information, "Made base image {Image} in {DurationMs} ms")]
    public static partial void BaseImageMade(this ILogger logger, string image, long durationMs);

    [LoggerMessage(3009, LogLevel.Error, "Could not make base image {Image}: {Reason}")]
    public static partial void BaseImageFailed(this ILogger logger, string image, string reason);

    [LoggerMessage(3010, LogLevel.Information, "Pulling configured base image {Image}")]
    public static partial void BaseImagePulling(this ILogger logger, string image);

    [LoggerMessage(3011, LogLevel.Information, "Removed environment image {Image}")]
    public static partial void ImageRemoved(this ILogger logger, string image);

    [LoggerMessage(3012, LogLevel.Warning, "Left-over build container {ContainerId} removed")]
    public static partial void LeftoverBuildContainerRemoved(this ILogger logger, string containerId);

    [LoggerMessage(3013, LogLevel.Debug, "Previous image {ImageId} of {Image} kept: {Outcome}")]
    public static partial void PreviousImageKept(this ILogger logger, string image, string imageId, string outcome);

    [LoggerMessage(3014, LogLevel.Warning, "Build container {ContainerId} could not be removed: {Reason}")]
    public static partial void BuildContainerNotRemoved(this ILogger logger, string containerId, string reason);
}
