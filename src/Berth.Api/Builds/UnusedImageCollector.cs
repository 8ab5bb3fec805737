using Berth.Runtime.Images;
using Berth.Storage;
using Microsoft.Extensions.Options;

namespace Berth.Api.Builds;

/// <summary>
/// Removes environment images that no environment or live session references, once they have
/// gone unreferenced for the grace period. An image being built is never removed, and the engine
/// itself refuses to remove one that a container uses.
/// </summary>
public sealed partial class UnusedImageCollector(
    BuildStore builds,
    BuildCoordinator coordinator,
    EnvironmentImageCatalog catalog,
    IOptions<BuildOptions> options,
    TimeProvider time,
    ILogger<UnusedImageCollector> logger) : BackgroundService
{
    private readonly Dictionary<string, DateTimeOffset> _unreferencedSince = new(StringComparer.Ordinal);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.ImageCollectionInterval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                await CollectOnceAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>One pass: note newly unreferenced images and remove those past the grace period.</summary>
    public async Task CollectOnceAsync(CancellationToken cancellationToken)
    {
        var images = await catalog.ListAsync(cancellationToken);
        if (!images.IsAvailable)
        {
            return;
        }

        var referenced = await builds.ListLinkedHashesAsync(cancellationToken);
        var now = time.GetUtcNow();
        foreach (var image in images.Images)
        {
            if (referenced.Contains(image.ConfigHash) || coordinator.ActiveRun(image.ConfigHash) is not null)
            {
                _unreferencedSince.Remove(image.ConfigHash);
                continue;
            }

            var since = _unreferencedSince.TryGetValue(image.ConfigHash, out var first) ? first : now;
            _unreferencedSince[image.ConfigHash] = since;
            if (now - since >= options.Value.UnusedImageGracePeriod)
            {
                await catalog.RemoveAsync(image.ConfigHash, cancellationToken);
                _unreferencedSince.Remove(image.ConfigHash);
                LogRemoved(logger, image.Image);
            }
        }
    }

    [LoggerMessage(EventId = 2100, Level = LogLevel.Information, Message = "Removed unused image {Image}")]
    private static partial void LogRemoved(ILogger logger, string image);
}
