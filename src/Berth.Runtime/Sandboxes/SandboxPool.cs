using System.Collections.Concurrent;
using Berth.Runtime.Docker;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Berth.Runtime.Sandboxes;

/// <summary>
/// Started, unused sandbox containers, ready to be given to sessions, per configuration in use:
/// <see cref="SandboxOptions.PoolSize"/> of each, refilled after every start, and removed when a
/// configuration has had no start or warm-up for <see cref="SandboxOptions.PoolIdleLifetime"/>.
/// Ready containers run with the default limits and are renamed for their session when taken.
/// </summary>
public sealed class SandboxPool : IAsyncDisposable
{
    private readonly SandboxContainers _containers;
    private readonly SandboxOptions _options;
    private readonly ILogger<SandboxPool> _logger;
    private readonly ConcurrentDictionary<string, PoolShelf> _shelves = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly Timer _trimTimer;
    private int _leftoversRemoved;
    private int _disposed;

    internal SandboxPool(SandboxContainers containers, IOptions<SandboxOptions> options, ILogger<SandboxPool> logger)
    {
        _containers = containers;
        _options = options.Value;
        _logger = logger;
        var period = _options.PoolIdleLifetime / 4;
        _trimTimer = new Timer(_ => _ = TrimQuietlyAsync(), null, period, period);
    }

    /// <summary>The id of this pool, on the <c>berth.pool</c> label of the containers it makes.</summary>
    public string PoolId { get; } = Guid.NewGuid().ToString("N")[..16];

    /// <summary>Asks for ready containers of a configuration; they are made in the background.</summary>
    public void Warm(string configHash, string image) => Warm(new SandboxTemplate(configHash, image));

    /// <inheritdoc cref="Warm(string, string)"/>
    public void Warm(SandboxTemplate template) => _ = FillQuietlyAsync(template);

    /// <summary>Makes ready containers of a configuration until there are <see cref="SandboxOptions.PoolSize"/>.</summary>
    public async Task WarmAsync(SandboxTemplate template, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(template);
        if (_options.PoolSize == 0)
        {
            return;
        }

        await RemoveLeftoversOnceAsync(cancellationToken).ConfigureAwait(false);
        var shelf = _shelves.GetOrAdd(template.Key, _ => new PoolShelf(template));
        shelf.Touch();
        var added = await shelf.FillAsync(_options.PoolSize,
            ct => _containers.StartForPoolAsync(template, PoolId, ct), cancellationToken).ConfigureAwait(false);
        if (added > 0)
        {
            _logger.PoolFilled(template.ConfigHash, added);
        }
    }

    /// <summary>How many containers of <paramref name="template"/> are ready.</summary>
    public int ReadyCount(SandboxTemplate template)
    {
        ArgumentNullException.ThrowIfNull(template);

        return _shelves.TryGetValue(template.Key, out var shelf) ? shelf.Count : 0;
    }

    /// <summary>Removes the ready containers of configurations idle past their lifetime; returns how many went.</summary>
    public async Task<int> TrimAsync(CancellationToken cancellationToken)
    {
        var removed = 0;
        foreach (var (key, shelf) in _shelves)
        {
            if (!shelf.IdleLongerThan(_options.PoolIdleLifetime) || !_shelves.TryRemove(key, out _))
            {
                continue;
            }

            var count = await shelf.RetireAsync(_containers.RemoveQuietlyAsync, cancellationToken).ConfigureAwait(false);
            _logger.PoolTrimmed(shelf.Template.ConfigHash, count);
            removed += count;
        }

        return removed;
    }

    /// <summary>Stops filling and removes every ready container; again, it does nothing.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        await _trimTimer.DisposeAsync().ConfigureAwait(false);
        await _stopping.CancelAsync().ConfigureAwait(false);
        foreach (var key in _shelves.Keys)
        {
            if (_shelves.TryRemove(key, out var shelf))
            {
                await shelf.RetireAsync(_containers.RemoveQuietlyAsync, CancellationToken.None).ConfigureAwait(false);
            }
        }

        _stopping.Dispose();
    }

    /// <summary>A running ready container of <paramref name="template"/>, now no longer the pool's; null when none.</summary>
    internal async Task<string?> TakeAsync(SandboxTemplate template, CancellationToken cancellationToken)
    {
        if (!_shelves.TryGetValue(template.Key, out var shelf))
        {
            return null;
        }

        shelf.Touch();
        while (shelf.TryTake(out var containerId))
        {
            // A ready container can have stopped (an engine restart, an out-of-memory kill).
            if (await _containers.IsRunningAsync(containerId, cancellationToken).ConfigureAwait(false))
            {
                return containerId;
            }

            _logger.PooledSandboxDiscarded(containerId);
            await _containers.RemoveQuietlyAsync(containerId).ConfigureAwait(false);
        }

        return null;
    }

    private async Task FillQuietlyAsync(SandboxTemplate template)
    {
        try
        {
            await WarmAsync(template, _stopping.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is RuntimeUnavailableException or RuntimeOperationException
            or OperationCanceledException or ObjectDisposedException)
        {
            _logger.PoolFillFailed(template.ConfigHash, e.Message);
        }
    }

    private async Task TrimQuietlyAsync()
    {
        try
        {
            await TrimAsync(_stopping.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException)
        {
            // Stopping.
        }
    }

    // Ready containers of an earlier process of this instance can never be taken: they are not
    // in this process's shelves. Once, before this pool makes its own, they go.
    private async Task RemoveLeftoversOnceAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _leftoversRemoved, 1) == 1)
        {
            return;
        }

        var leftovers = await _containers.ListPooledOfOtherPoolsAsync(PoolId, cancellationToken).ConfigureAwait(false);
        foreach (var containerId in leftovers)
        {
            await _containers.RemoveQuietlyAsync(containerId).ConfigureAwait(false);
        }

        if (leftovers.Count > 0)
        {
            _logger.LeftoverPoolRemoved(leftovers.Count);
        }
    }
}
