using System.Text.Json;
using Berth.Core;
using Berth.Storage;

namespace Berth.Api.Builds;

/// <summary>The build of an environment's current configuration, as the API returns it.</summary>
public sealed record BuildResponse(
    string Type,
    string EnvironmentId,
    string ConfigHash,
    string Status,
    string? Cache,
    string? Image,
    string? StartedAt,
    string? FinishedAt,
    long? DurationMs,
    JsonElement? Error,
    string? LogTail)
{
    public static BuildResponse From(string environmentId, StoredBuild build, string? cache)
    {
        ArgumentNullException.ThrowIfNull(build);

        return new BuildResponse(
            "environment_build",
            environmentId,
            build.ConfigHash,
            build.Status,
            cache,
            build.Image,
            build.StartedAt is { } started ? Timestamps.Format6(started) : null,
            build.FinishedAt is { } finished ? Timestamps.Format6(finished) : null,
            build.DurationMs,
            build.ErrorJson is { } error ? JsonDocument.Parse(error).RootElement.Clone() : null,
            build.LogTail);
    }
}
