using System.Collections.Concurrent;
using System.Text.Json;
using System.Threading.Channels;
using Berth.Core;
using Berth.Core.Environments;
using Berth.Runtime;
using Berth.Runtime.Egress;
using Berth.Runtime.Images;
using Berth.Storage;
using Microsoft.Extensions.Options;

namespace Berth.Api.Builds;

/// <summary>
/// Decides when a configuration needs building, runs builds in the background (one per
/// configuration hash, whatever number of environments ask), and keeps their state in the store.
/// </summary>
public sealed partial class BuildCoordinator(
    BuildStore builds,
    EnvironmentImageBuilder builder,
    EnvironmentImageCatalog catalog,
    EgressGateway egress,
    RuntimeProbe probe,
    StoreOptions store,
    IOptions<BuildOptions> options,
    TimeProvider time,
    ILogger<BuildCoordinator> logger) : BackgroundService
{
    private readonly EnvironmentImageCatalog _catalog = catalog;
    private readonly Channel<BuildJob> _queue = Channel.CreateUnbounded<BuildJob>();
    private readonly ConcurrentDictionary<string, BuildRun> _runs = new(StringComparer.Ordinal);

    // Deciding whether to start a build and recording the decision happen under one gate, so
    // that ten environments asking at once for one configuration cause one build.
    private readonly SemaphoreSlim _decisions = new(1, 1);

    public string HashOf(EnvironmentConfig config) => ConfigHash.Compute(builder.BaseImageReference, config);

    /// <summary>The build of this hash that is running now, if any.</summary>
    public BuildRun? ActiveRun(string configHash) => _runs.GetValueOrDefault(configHash);

    public string LogPath(string configHash) => Path.Combine(store.DataDirectory, "builds", configHash + ".log");

    /// <summary>
    /// Links the environment to the build of its configuration, starting that build unless it is
    /// ready or already under way (or <paramref name="noCache"/> asks for a fresh one).
    /// </summary>
    public async Task<StoredBuild> RequestAsync(
        string? environmentId, EnvironmentConfig config, bool noCache, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(config);
        var hash = HashOf(config);
        await _decisions.WaitAsync(cancellationToken);
        try
        {
            var build = await builds.GetAsync(hash, cancellationToken);
            var reuse = build is { Status: BuildStatus.Pending or BuildStatus.Building }
                || (build is { Status: BuildStatus.Ready } && !noCache);
            if (!reuse)
            {
                build = new StoredBuild(hash, BuildStatus.Pending, null, null, null, null, null, null,
                    config.ToJson(), Now());
                await builds.SaveAsync(build, cancellationToken);
                await _queue.Writer.WriteAsync(new BuildJob(build, noCache), cancellationToken);
            }

            if (environmentId is not null)
            {
                await builds.LinkAsync(environmentId, hash, reuse ? "hit" : "miss", cancellationToken);
            }

            return build!;
        }
        finally
        {
            _decisions.Release();
        }
    }

    /// <summary>
    /// The finished build a session can start from: an existing one as it is (a failed build is
    /// not retried for a session; rebuilding is the environment's business), else a new one.
    /// </summary>
    public async Task<StoredBuild?> EnsureForSessionAsync(EnvironmentConfig config, CancellationToken cancellationToken)
    {
        var hash = HashOf(config);
        if (await builds.GetAsync(hash, cancellationToken) is null)
        {
            await RequestAsync(null, config, noCache: false, cancellationToken);
        }

        return await WaitAsync(hash, cancellationToken);
    }

    /// <summary>Waits until the build of <paramref name="configHash"/> has ended, and returns how.</summary>
    public async Task<StoredBuild?> WaitAsync(string configHash, CancellationToken cancellationToken)
    {
        while (true)
        {
            var build = await builds.GetAsync(configHash, cancellationToken);
            if (build is null || build.IsFinished)
            {
                return build;
            }

            if (ActiveRun(configHash) is { } run)
            {
                return await run.Finished.WaitAsync(cancellationToken);
            }

            await Task.Delay(TimeSpan.FromMilliseconds(200), time, cancellationToken);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Containers of builds cut short by a crash hold nothing worth keeping.
        await _catalog.RemoveLeftoverBuildContainersAsync(stoppingToken);
        await ResumeUnfinishedAsync(stoppingToken);
        using var slots = new SemaphoreSlim(Math.Max(1, options.Value.MaxConcurrentBuilds));
        var running = new List<Task>();
        try
        {
            await foreach (var job in _queue.Reader.ReadAllAsync(stoppingToken))
            {
                await WaitForRuntimeAsync(stoppingToken);
                await slots.WaitAsync(stoppingToken);
                running.RemoveAll(task => task.IsCompleted);
                running.Add(RunAndReleaseAsync(job, slots, stoppingToken));
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }

        await Task.WhenAll(running);
    }

    private async Task RunAndReleaseAsync(BuildJob job, SemaphoreSlim slots, CancellationToken stoppingToken)
    {
        try
        {
            await RunAsync(job, stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Left `building` on purpose: the next start resumes it.
        }
        catch (Exception error)
        {
            LogBuildCrashed(logger, job.Build.ConfigHash, error);
            var failed = Failed(job.Build, "runtime", null, "The build stopped unexpectedly; see the server log.", null);
            await builds.SaveAsync(failed, CancellationToken.None);
            if (_runs.TryRemove(job.Build.ConfigHash, out var run))
            {
                run.Finish(failed);
            }
        }
        finally
        {
            slots.Release();
        }
    }

    private async Task RunAsync(BuildJob queued, CancellationToken stoppingToken)
    {
        var job = queued.Build;
        var config = EnvironmentConfig.FromJson(job.ConfigJson);
        var packages = config.EffectivePackages;
        var request = new ImageBuildRequest(job.ConfigHash)
        {
            Apt = packages.EffectiveFor(PackageManager.Apt),
            Pip = packages.EffectiveFor(PackageManager.Pip),
            Npm = packages.EffectiveFor(PackageManager.Npm),
            SetupScript = config.SetupScript,
            NoCache = queued.NoCache,
        };
        using var run = new BuildRun(job.ConfigHash, LogPath(job.ConfigHash), options.Value.MaxLogBytes);
        _runs[job.ConfigHash] = run;
        var started = job with { Status = BuildStatus.Building, Image = null, StartedAt = Now() };
        await builds.SaveAsync(started, stoppingToken);
        LogBuildStarted(logger, job.ConfigHash);

        var registration = $"build-{job.ConfigHash}";
        ImageBuildResult result;
        try
        {
            var (placed, unplaced) = await PlaceAsync(request, registration, stoppingToken);
            result = placed is not null
                ? await builder.BuildAsync(placed, run, stoppingToken)
                : await NoNetworkAsync(unplaced, stoppingToken);
        }
        finally
        {
            egress.Unregister(registration);
        }

        var finished = result switch
        {
            ImageBuilt built => started with
            {
                Status = BuildStatus.Ready,
                Image = built.Image,
                FinishedAt = Now(),
                DurationMs = (long)built.Duration.TotalMilliseconds,
            },
            ImageBuildFailed failed => Failed(started, failed.Step, failed.ExitCode, failed.Message, failed.LogTail)
                with { DurationMs = (long)failed.Duration.TotalMilliseconds },
            _ => started with { Status = BuildStatus.Pending, StartedAt = null },
        };
        await builds.SaveAsync(finished, CancellationToken.None);
        _runs.TryRemove(new KeyValuePair<string, BuildRun>(job.ConfigHash, run));
        run.Finish(finished);
        LogBuildFinished(logger, job.ConfigHash, finished.Status);
        if (finished.Status == BuildStatus.Pending)
        {
            // The runtime went away mid-build: try again once it is back.
            await _queue.Writer.WriteAsync(queued, CancellationToken.None);
        }
    }

    /// <summary>
    /// The request with the network its container runs on: where an unrestricted sandbox runs, as
    /// a setup script is code from whoever made the environment. It reaches public hosts (the
    /// package registries among them) but neither this machine nor private ranges nor sandboxes.
    /// Without a request, why the egress gateway cannot confine it.
    /// </summary>
    private async Task<(ImageBuildRequest? Placed, string? Unplaced)> PlaceAsync(
        ImageBuildRequest request, string registration, CancellationToken cancellationToken)
    {
        var networking = NetworkingConfig.Unrestricted;
        var placement = await egress.EnsureNetworkAsync(networking, cancellationToken);
        if (placement is not EgressNetworkReady network)
        {
            return (null, (placement as EgressUnavailable)?.Reason ?? "it did not start");
        }

        return (request with
        {
            Network = new BuildNetwork(network.NetworkName, network.DnsServers,
                (containerId, token) => egress.RegisterAsync(registration, containerId, networking, token)),
        }, null);
    }

    private async Task<ImageBuildResult> NoNetworkAsync(string? reason, CancellationToken cancellationToken) =>
        (await probe.PingAsync(cancellationToken)).IsAvailable
            ? new ImageBuildFailed(BuildSteps.Runtime, null,
                $"No build was started: the egress gateway is not available ({reason}).", "", TimeSpan.Zero)
            : new RuntimeUnavailable("the container runtime went away");

    private StoredBuild Failed(StoredBuild build, string step, int? exitCode, string message, string? logTail)
    {
        var error = new BuildError("environment_configuration_error", message, step, exitCode);

        return build with
        {
            Status = BuildStatus.Failed,
            FinishedAt = Now(),
            ErrorJson = JsonSerializer.Serialize(error, BuildJsonContext.Default.BuildError),
            LogTail = logTail,
        };
    }

    private async Task ResumeUnfinishedAsync(CancellationToken cancellationToken)
    {
        foreach (var build in await builds.ListUnfinishedAsync(cancellationToken))
        {
            LogBuildResumed(logger, build.ConfigHash, build.Status);
            var pending = build with { Status = BuildStatus.Pending, StartedAt = null };
            await builds.SaveAsync(pending, cancellationToken);
            await _queue.Writer.WriteAsync(new BuildJob(pending, NoCache: false), cancellationToken);
        }
    }

    private async Task WaitForRuntimeAsync(CancellationToken cancellationToken)
    {
        var warned = false;
        while (!(await probe.PingAsync(cancellationToken)).IsAvailable)
        {
            if (!warned)
            {
                LogWaitingForRuntime(logger);
                warned = true;
            }

            await Task.Delay(options.Value.RuntimeRetryInterval, time, cancellationToken);
        }
    }

    private DateTimeOffset Now() => Timestamps.TruncateToMicroseconds(time.GetUtcNow());

    [LoggerMessage(EventId = 2000, Level = LogLevel.Information, Message = "Build of {ConfigHash} started")]
    private static partial void LogBuildStarted(ILogger logger, string configHash);

    [LoggerMessage(EventId = 2001, Level = LogLevel.Information, Message = "Build of {ConfigHash} ended {Status}")]
    private static partial void LogBuildFinished(ILogger logger, string configHash, string status);

    [LoggerMessage(EventId = 2002, Level = LogLevel.Information, Message = "Build of {ConfigHash} was {Status} when the server stopped; resuming it")]
    private static partial void LogBuildResumed(ILogger logger, string configHash, string status);

    [LoggerMessage(EventId = 2003, Level = LogLevel.Warning, Message = "No container runtime answers; builds wait for one")]
    private static partial void LogWaitingForRuntime(ILogger logger);

    [LoggerMessage(EventId = 2004, Level = LogLevel.Error, Message = "Build of {ConfigHash} crashed")]
    private static partial void LogBuildCrashed(ILogger logger, string configHash, Exception error);
}

/// <summary>A build waiting for a slot.</summary>
internal sealed record BuildJob(StoredBuild Build, bool NoCache);

/// <summary>Why a build failed, as the API reports it.</summary>
public sealed record BuildError(string Type, string Message, string Step, int? ExitCode);

[System.Text.Json.Serialization.JsonSourceGenerationOptions(PropertyNamingPolicy = System.Text.Json.Serialization.JsonKnownNamingPolicy.SnakeCaseLower)]
[System.Text.Json.Serialization.JsonSerializable(typeof(BuildError))]
internal sealed partial class BuildJsonContext : System.Text.Json.Serialization.JsonSerializerContext;
