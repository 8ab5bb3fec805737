using System.Diagnostics;
using Berth.Runtime.Docker;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Berth.Runtime.Images;

/// <summary>
/// One build of an environment image: a container from the base image runs each step as an
/// exec, and only when every step exits 0 is it committed under the image's tag. A failed or
/// cancelled build tags nothing, and its container is always removed.
/// </summary>
/// <remarks>
/// All steps share one container and one commit, so a build writes a single layer; a
/// Dockerfile with one RUN per step writes one per step and is no faster.
/// </remarks>
internal sealed class ImageBuildRun(
    DockerContainerOperations containers,
    DockerExecOperations exec,
    DockerImageOperations images,
    IOptions<RuntimeOptions> options,
    ILogger<ImageBuildRun> logger)
{
    private static readonly TimeSpan CleanupTimeout = TimeSpan.FromSeconds(30);

    private readonly RuntimeOptions _options = options.Value;

    public async Task<ImageBuildResult> RunAsync(
        ImageBuildRequest request, string baseImage, IBuildLog log, Stopwatch clock,
        CancellationToken cancellationToken)
    {
        var image = EnvironmentImageNames.For(request.ConfigHash);
        var steps = BuildPlan.For(request, _options);
        var baseDetails = await images.InspectAsync(baseImage, cancellationToken).ConfigureAwait(false)
            ?? throw new RuntimeOperationException("inspect the base image", $"{baseImage} is gone");
        var config = ImageConfigFor(baseDetails, request.ConfigHash);

        var containerId = await containers.CreateAsync(BuildContainer(baseImage, config, request),
            cancellationToken).ConfigureAwait(false);
        try
        {
            await containers.StartAsync(containerId, cancellationToken).ConfigureAwait(false);
            if (request.Network is { } network
                && !await network.JoinAsync(containerId, cancellationToken).ConfigureAwait(false))
            {
                return new ImageBuildFailed(BuildSteps.Runtime, null,
                    $"The build container could not join the network {network.Name}.", "", clock.Elapsed);
            }

            foreach (var step in steps)
            {
                var failure = await RunStepAsync(containerId, step, image, log, clock, cancellationToken)
                    .ConfigureAwait(false);
                if (failure is not null)
                {
                    return failure;
                }
            }

            await containers.KillAsync(containerId, cancellationToken).ConfigureAwait(false);
            var imageId = await images.CommitAsync(containerId, image, config, cancellationToken).ConfigureAwait(false);

            return new ImageBuilt(image, imageId, CacheHit: false, clock.Elapsed);
        }
        finally
        {
            await RemoveContainerAsync(containerId).ConfigureAwait(false);
        }
    }

    private async Task<ImageBuildFailed?> RunStepAsync(
        string containerId, PlannedStep step, string image, IBuildLog log, Stopwatch clock,
        CancellationToken cancellationToken)
    {
        var tail = new LogTail(_options.FailureLogTailLines);
        var started = Stopwatch.GetTimestamp();
        log.Write(new BuildLogLine(step.Name, $"==> {step.Description}"));

        var exitCode = (int)await exec.RunAsync(containerId, step.Command, line =>
        {
            tail.Add(line);
            log.Write(new BuildLogLine(step.Name, line));
        }, cancellationToken).ConfigureAwait(false);

        var elapsed = (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        logger.StepFinished(image, step.Name, exitCode, elapsed);
        if (exitCode == 0)
        {
            return null;
        }

        var message = FailureMessage(step.Name, exitCode);

        return new ImageBuildFailed(step.Name, exitCode, message, tail.ToString(), clock.Elapsed);
    }

    private ContainerSpec BuildContainer(string baseImage, ImageConfig config, ImageBuildRequest request) => new(
        baseImage,
        // Keeps the container up between execs whatever the base image's own entrypoint does.
        ["sleep", "infinity"],
        config.Env,
        config.WorkingDir,
        BerthLabels.For(_options.InstanceName, BerthLabels.ImageBuildKind, request.ConfigHash))
    {
        Network = request.Network?.Name,
        DnsServers = request.Network?.DnsServers,
    };

    private ImageConfig ImageConfigFor(ImageDetails baseImage, string configHash) => new(
        ImageEnvironment.WithVirtualEnvironmentFirst(baseImage.Env),
        BuildPlan.WorkingDir,
        // An empty list, not null: a commit fills a null entrypoint in from the build container's.
        baseImage.Entrypoint ?? [],
        baseImage.Cmd is { Count: > 0 } cmd ? cmd : ["bash"],
        BerthLabels.For(_options.InstanceName, BerthLabels.EnvironmentImageKind, configHash));

    private static string FailureMessage(string step, int exitCode) => step switch
    {
        BuildSteps.SetupScript => $"The setup script failed with exit code {exitCode}.",
        _ => $"Installing the {step} packages failed with exit code {exitCode}.",
    };

    // Runs after success, failure and cancellation alike, so it does not take the build's token.
    private async Task RemoveContainerAsync(string containerId)
    {
        using var timeout = new CancellationTokenSource(CleanupTimeout);
        try
        {
            await containers.RemoveAsync(containerId, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is RuntimeUnavailableException or RuntimeOperationException
            or OperationCanceledException)
        {
            logger.BuildContainerNotRemoved(containerId, e.Message);
        }
    }
}
