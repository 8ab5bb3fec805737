using System.Text.Json;
using Berth.Api.Auth;
using Berth.Api.Errors;
using Berth.Api.Http;
using Berth.Core.Environments;
using Berth.Storage;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Berth.Api.Builds;

/// <summary>The build routes of an environment: its state, a rebuild on demand, and its log.</summary>
public static class BuildEndpoints
{
    public static IEndpointRouteBuilder MapBuildsApi(this IEndpointRouteBuilder api)
    {
        var group = api.MapGroup("/environments/{id}/build").WithTags("Builds");

        group.MapGet("/", GetAsync)
            .WithName("GetEnvironmentBuild")
            .WithSummary("The build of the environment's current configuration.");
        group.MapPost("/", StartAsync)
            .WithName("StartEnvironmentBuild")
            .WithSummary("Build the environment's image now; no_cache rebuilds it from scratch.");
        group.MapGet("/logs", GetLogsAsync)
            .WithName("GetEnvironmentBuildLogs")
            .WithSummary("The build log; with Accept: text/event-stream it streams live until the build ends.");

        return api;
    }

    private static async Task<Results<Ok<BuildResponse>, ApiErrorResult>> GetAsync(
        string id, HttpContext httpContext, EnvironmentStore environments, BuildStore builds,
        BuildCoordinator coordinator, CancellationToken cancellationToken)
    {
        var environment = await environments.GetAsync(httpContext.GetCaller().Account, id, cancellationToken);
        if (environment is null)
        {
            return NotFound(id);
        }

        var config = EnvironmentConfig.FromJson(environment.ConfigJson);
        var hash = coordinator.HashOf(config);
        var link = await builds.GetLinkAsync(id, cancellationToken);
        var build = await builds.GetAsync(hash, cancellationToken);
        if (build is null || link?.ConfigHash != hash)
        {
            // Never built under this base image (a store from before builds, or a new base image):
            // asking is enough to start it.
            build = await coordinator.RequestAsync(id, config, noCache: false, cancellationToken);
            link = await builds.GetLinkAsync(id, cancellationToken);
        }

        return TypedResults.Ok(BuildResponse.From(id, build, link?.Cache));
    }

    private static async Task<Results<Accepted<BuildResponse>, ApiErrorResult>> StartAsync(
        string id, HttpContext httpContext, EnvironmentStore environments, BuildStore builds,
        BuildCoordinator coordinator, CancellationToken cancellationToken)
    {
        var environment = await environments.GetAsync(httpContext.GetCaller().Account, id, cancellationToken);
        if (environment is null)
        {
            return NotFound(id);
        }

        var noCache = await ReadNoCacheAsync(httpContext.Request, cancellationToken);
        if (!noCache.IsValid)
        {
            return ApiErrorResult.Invalid(noCache.Error);
        }

        var build = await coordinator.RequestAsync(
            id, EnvironmentConfig.FromJson(environment.ConfigJson), noCache.Value, cancellationToken);
        var link = await builds.GetLinkAsync(id, cancellationToken);

        return TypedResults.Accepted($"/v1/environments/{id}/build", BuildResponse.From(id, build, link?.Cache));
    }

    private static async Task<IResult> GetLogsAsync(
        string id, HttpContext httpContext, EnvironmentStore environments, BuildCoordinator coordinator,
        CancellationToken cancellationToken)
    {
        var environment = await environments.GetAsync(httpContext.GetCaller().Account, id, cancellationToken);
        if (environment is null)
        {
            return NotFound(id);
        }

        var hash = coordinator.HashOf(EnvironmentConfig.FromJson(environment.ConfigJson));
        if (!ServerSentEvents.IsRequested(httpContext.Request))
        {
            var path = coordinator.LogPath(hash);
            return File.Exists(path)
                ? TypedResults.Stream(OpenShared(path), "text/plain; charset=utf-8")
                : TypedResults.Text("", "text/plain; charset=utf-8");
        }

        await StreamLogAsync(httpContext, coordinator, hash, cancellationToken);

        return TypedResults.Empty;
    }

    private static async Task StreamLogAsync(
        HttpContext httpContext, BuildCoordinator coordinator, string hash, CancellationToken cancellationToken)
    {
        var stream = await ServerSentEvents.StartAsync(httpContext.Response, cancellationToken);
        var builds = httpContext.RequestServices.GetRequiredService<BuildStore>();
        StoredBuild? build;
        while (true)
        {
            if (coordinator.ActiveRun(hash) is { } run)
            {
                await foreach (var line in run.FollowAsync(cancellationToken))
                {
                    await SendLineAsync(stream, line, cancellationToken);
                }

                build = await run.Finished;
                break;
            }

            build = await builds.GetAsync(hash, cancellationToken);
            if (build is null || build.IsFinished)
            {
                var path = coordinator.LogPath(hash);
                if (File.Exists(path))
                {
                    using var reader = new StreamReader(OpenShared(path));
                    while (await reader.ReadLineAsync(cancellationToken) is { } line)
                    {
                        if (line.Length > 0)
                        {
                            await SendLineAsync(stream, line, cancellationToken);
                        }
                    }
                }

                break;
            }

            // Queued but not started (or waiting for a runtime): look again shortly.
            await Task.Delay(TimeSpan.FromMilliseconds(200), cancellationToken);
        }

        var end = new LogEnd(build?.Status ?? BuildStatus.Pending);
        await stream.SendAsync("end", JsonSerializer.Serialize(end, BuildLogJsonContext.Default.LogEnd), cancellationToken);
    }

    private static Task SendLineAsync(ServerSentEvents stream, string line, CancellationToken cancellationToken) =>
        stream.SendAsync("log", JsonSerializer.Serialize(new LogLine(line), BuildLogJsonContext.Default.LogLine), cancellationToken);

    // The build may still be writing it; read as it is, a piece at a time.
    private static FileStream OpenShared(string path) =>
        new(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, bufferSize: 64 * 1024, useAsync: true);

    private static async Task<Core.Validation.Validated<bool>> ReadNoCacheAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var bytes = await JsonBody.ReadBytesAsync(request, cancellationToken);
        if (!bytes.IsValid)
        {
            return Core.Validation.Validated<bool>.Failure(bytes.Error);
        }

        if (bytes.Value.Length == 0)
        {
            return false;
        }

        var parsed = JsonBody.ParseObject(bytes.Value);
        if (!parsed.IsValid)
        {
            return Core.Validation.Validated<bool>.Failure(parsed.Error);
        }

        using var document = parsed.Value;
        if (!document.RootElement.TryGetProperty("no_cache", out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return false;
        }

        return value.ValueKind is JsonValueKind.True or JsonValueKind.False
            ? value.GetBoolean()
            : Core.Validation.Validated<bool>.Failure("no_cache", "no_cache must be true or false.");
    }

    private static ApiErrorResult NotFound(string id) =>
        ApiErrorResult.NotFound($"No environment with id '{id}' exists in this account.");
}

/// <summary>One line of a streamed build log.</summary>
public sealed record LogLine(string Data);

/// <summary>The last event of a streamed build log.</summary>
public sealed record LogEnd(string Status);

[System.Text.Json.Serialization.JsonSerializable(typeof(LogLine))]
[System.Text.Json.Serialization.JsonSerializable(typeof(LogEnd))]
[System.Text.Json.Serialization.JsonSourceGenerationOptions(PropertyNamingPolicy = System.Text.Json.Serialization.JsonKnownNamingPolicy.SnakeCaseLower)]
internal sealed partial class BuildLogJsonContext : System.Text.Json.Serialization.JsonSerializerContext;
