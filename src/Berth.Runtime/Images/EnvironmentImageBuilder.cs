using System.Collections.Concurrent;
using System.Diagnostics;
using Berth.Runtime.BaseImages;
using Berth.Runtime.Docker;
using Microsoft.Extensions.Logging;

namespace Berth.Runtime.Images;

/// <summary>
/// Builds one image per configuration hash, <c>berth/env:&lt;hash&gt;</c>, from the base image.
/// Every outcome is a value: built (or found), failed in a named step, or runtime unavailable.
/// </summary>
public sealed class EnvironmentImageBuilder
{
    private readonly BaseImageProvider _baseImages;
    private readonly ImageBuildRun _run;
    private readonly DockerImageOperations _images;
    private readonly ILogger<EnvironmentImageBuilder> _logger;

    // Two builds of one hash would race for its tag; the second waits and then finds the image.
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _buildsByHash = new(StringComparer.Ordinal);

    internal EnvironmentImageBuilder(
        BaseImageProvider baseImages,
        ImageBuildRun run,
        DockerImageOperations images,
        ILogger<EnvironmentImageBuilder> logger)
    {
        _baseImages = baseImages;
        _run = run;
        _images = images;
        _logger = logger;
    }

    /// <summary>
    /// The base image that builds start from: the configured one, or the one made with
    /// mmdebstrap. Callers include it in the configuration hash.
    /// </summary>
    public string BaseImageReference => _baseImages.Reference;

    /// <summary>Makes or pulls the base image if it is missing; the first time this takes minutes.</summary>
    public async Task<ImageBuildResult> EnsureBaseImageAsync(IBuildLog log, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(log);

        var clock = Stopwatch.StartNew();
        try
        {
            return await _baseImages.EnsureAsync(log, cancellationToken).ConfigureAwait(false);
        }
        catch (RuntimeUnavailableException e)
        {
            _logger.RuntimeUnavailable(e.Message);
            return new RuntimeUnavailable(e.Message);
        }
        catch (RuntimeOperationException e)
        {
            log.Write(new BuildLogLine(BuildSteps.Base, e.Message));
            return new ImageBuildFailed(BuildSteps.Base, null, e.Message, e.Message, clock.Elapsed);
        }
    }

    /// <summary>
    /// Returns the existing image for the request's hash, or builds it, streaming output to
    /// <paramref name="log"/>. With <see cref="ImageBuildRequest.NoCache"/> it always builds.
    /// </summary>
    public async Task<ImageBuildResult> BuildAsync(
        ImageBuildRequest request, IBuildLog log, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(log);
        var image = EnvironmentImageNames.For(request.ConfigHash);
        var gate = _buildsByHash.GetOrAdd(request.ConfigHash, _ => new SemaphoreSlim(1, 1));

        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        var clock = Stopwatch.StartNew();
        try
        {
            return await BuildUnderLockAsync(request, image, log, clock, cancellationToken).ConfigureAwait(false);
        }
        catch (RuntimeUnavailableException e)
        {
            _logger.RuntimeUnavailable(e.Message);
            return new RuntimeUnavailable(e.Message);
        }
        catch (RuntimeOperationException e)
        {
            _logger.BuildFailed(image, BuildSteps.Runtime, null, e.Message);
            log.Write(new BuildLogLine(BuildSteps.Runtime, e.Message));
            return new ImageBuildFailed(BuildSteps.Runtime, null, e.Message, e.Message, clock.Elapsed);
        }
        finally
        {
            gate.Release();
        }
    }

    private async Task<ImageBuildResult> BuildUnderLockAsync(
        ImageBuildRequest request, string image, IBuildLog log, Stopwatch clock,
        CancellationToken cancellationToken)
    {
        var previous = await _images.InspectAsync(image, cancellationToken).ConfigureAwait(false);
        if (previous is not null && !request.NoCache)
        {
            _logger.BuildCacheHit(image);
            return new ImageBuilt(image, previous.Id, CacheHit: true, clock.Elapsed);
        }

        _logger.BuildStarted(image);
        var baseImage = await _baseImages.EnsureAsync(log, cancellationToken).ConfigureAwait(false);
        if (baseImage is not ImageBuilt ready)
        {
            return baseImage;
        }

        var result = await _run.RunAsync(request, ready.Image, log, clock, cancellationToken).ConfigureAwait(false);
        await ReportAsync(image, result, previous, cancellationToken).ConfigureAwait(false);

        return result;
    }

    private async Task ReportAsync(
        string image, ImageBuildResult result, ImageDetails? previous, CancellationToken cancellationToken)
    {
        switch (result)
        {
            case ImageBuilt built:
                _logger.BuildSucceeded(image, built.ImageId, (long)built.Duration.TotalMilliseconds);
                await ForgetPreviousAsync(image, previous, built.ImageId, cancellationToken).ConfigureAwait(false);
                break;
            case ImageBuildFailed failed:
                _logger.BuildFailed(image, failed.Step, failed.ExitCode, failed.Message);
                break;
        }
    }

    // A rebuild moves the tag; the image it leaves behind is removed unless a container still uses it.
    private async Task ForgetPreviousAsync(
        string image, ImageDetails? previous, string builtId, CancellationToken cancellationToken)
    {
        if (previous is null || previous.Id == builtId)
        {
            return;
        }

        try
        {
            var outcome = await _images.RemoveAsync(previous.Id, cancellationToken).ConfigureAwait(false);
            if (outcome != ImageDeletion.Removed)
            {
                _logger.PreviousImageKept(image, previous.Id, outcome.ToString());
            }
        }
        catch (RuntimeOperationException e)
        {
            _logger.PreviousImageKept(image, previous.Id, e.Message);
        }
    }
}
