using Berth.Runtime.Docker;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Berth.Runtime.Images;

/// <summary>
/// The environment images and build containers of this Berth instance, for lookups and
/// garbage collection. Every answer is a value, also when the runtime does not answer.
/// </summary>
/// <remarks>An engine that answers a lookup with an error counts as unavailable: it could not answer.</remarks>
public sealed class EnvironmentImageCatalog
{
    private readonly DockerImageOperations _images;
    private readonly DockerContainerOperations _containers;
    private readonly RuntimeOptions _options;
    private readonly ILogger<EnvironmentImageCatalog> _logger;

    internal EnvironmentImageCatalog(
        DockerImageOperations images,
        DockerContainerOperations containers,
        IOptions<RuntimeOptions> options,
        ILogger<EnvironmentImageCatalog> logger)
    {
        _images = images;
        _containers = containers;
        _options = options.Value;
        _logger = logger;
    }

    /// <summary>Whether the image for <paramref name="configHash"/> exists.</summary>
    public async Task<ImagePresence> FindAsync(string configHash, CancellationToken cancellationToken)
    {
        var image = EnvironmentImageNames.For(configHash);
        try
        {
            var details = await _images.InspectAsync(image, cancellationToken).ConfigureAwait(false);
            return details is null ? ImagePresence.Absent : ImagePresence.Present;
        }
        catch (Exception e) when (e is RuntimeUnavailableException or RuntimeOperationException)
        {
            _logger.RuntimeUnavailable(e.Message);
            return ImagePresence.RuntimeUnavailable;
        }
    }

    /// <summary>Removes the image for <paramref name="configHash"/> unless a container uses it.</summary>
    public async Task<ImageRemoval> RemoveAsync(string configHash, CancellationToken cancellationToken)
    {
        var image = EnvironmentImageNames.For(configHash);
        try
        {
            var outcome = await _images.RemoveAsync(image, cancellationToken).ConfigureAwait(false);
            if (outcome == ImageDeletion.Removed)
            {
                _logger.ImageRemoved(image);
            }

            return outcome switch
            {
                ImageDeletion.Removed => ImageRemoval.Removed,
                ImageDeletion.InUse => ImageRemoval.InUse,
                _ => ImageRemoval.NotFound,
            };
        }
        catch (Exception e) when (e is RuntimeUnavailableException or RuntimeOperationException)
        {
            _logger.RuntimeUnavailable(e.Message);
            return ImageRemoval.RuntimeUnavailable;
        }
    }

    /// <summary>The environment images this instance built, newest first.</summary>
    public async Task<EnvironmentImageList> ListAsync(CancellationToken cancellationToken)
    {
        var labels = BerthLabels.For(_options.InstanceName, BerthLabels.EnvironmentImageKind);
        try
        {
            var images = await _images.ListAsync(labels, cancellationToken).ConfigureAwait(false);
            var list = images
                .SelectMany(ToEnvironmentImages)
                .OrderByDescending(i => i.CreatedAt)
                .ToList();

            return new EnvironmentImageList(list, null);
        }
        catch (Exception e) when (e is RuntimeUnavailableException or RuntimeOperationException)
        {
            _logger.RuntimeUnavailable(e.Message);
            return new EnvironmentImageList([], e.Message);
        }
    }

    /// <summary>
    /// Removes build containers that a stopped or crashed process of this instance left behind.
    /// Call it at startup, before this process starts builds of its own. Returns how many went,
    /// or null when the runtime did not answer.
    /// </summary>
    public async Task<int?> RemoveLeftoverBuildContainersAsync(CancellationToken cancellationToken)
    {
        var labels = BerthLabels.For(_options.InstanceName, BerthLabels.ImageBuildKind);
        try
        {
            var ids = await _containers.ListIdsAsync(labels, cancellationToken).ConfigureAwait(false);
            foreach (var id in ids)
            {
                await _containers.RemoveAsync(id, cancellationToken).ConfigureAwait(false);
                _logger.LeftoverBuildContainerRemoved(id);
            }

            return ids.Count;
        }
        catch (Exception e) when (e is RuntimeUnavailableException or RuntimeOperationException)
        {
            _logger.RuntimeUnavailable(e.Message);
            return null;
        }
    }

    // Only the berth/env tags count: an image that lost its tag to a rebuild is not an environment image.
    private static IEnumerable<EnvironmentImage> ToEnvironmentImages(ImageSummary image)
    {
        var prefix = EnvironmentImageNames.Repository + ":";

        return image.Tags
            .Where(t => t.StartsWith(prefix, StringComparison.Ordinal))
            .Select(t => new EnvironmentImage(
                t,
                image.Id,
                image.Labels.GetValueOrDefault(BerthLabels.ConfigHash, t[prefix.Length..]),
                image.CreatedAt,
                image.SizeBytes));
    }
}
