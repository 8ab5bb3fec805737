using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;

namespace Berth.Runtime.Sandboxes;

/// <summary>The ready containers of one <see cref="SandboxTemplate"/>, and when it was last asked for.</summary>
[SuppressMessage("Design", "CA1001:Types that own disposable fields should be disposable",
    Justification = "A SemaphoreSlim holds nothing to dispose unless its wait handle is used, and a retired "
        + "shelf may still be waited on by a late warm-up.")]
internal sealed class PoolShelf(SandboxTemplate template)
{
    private readonly ConcurrentQueue<string> _ready = new();

    // One fill at a time, and no fill into a shelf being retired.
    private readonly SemaphoreSlim _filling = new(1, 1);
    private long _lastUsed = Stopwatch.GetTimestamp();
    private bool _retired;

    public SandboxTemplate Template { get; } = template;

    public int Count => _ready.Count;

    public void Touch() => Interlocked.Exchange(ref _lastUsed, Stopwatch.GetTimestamp());

    public bool IdleLongerThan(TimeSpan lifetime) =>
        Stopwatch.GetElapsedTime(Interlocked.Read(ref _lastUsed)) > lifetime;

    public bool TryTake(out string containerId) => _ready.TryDequeue(out containerId!);

    /// <summary>Starts containers one by one until <paramref name="size"/> are ready; returns how many it added.</summary>
    public async Task<int> FillAsync(
        int size, Func<CancellationToken, Task<string>> start, CancellationToken cancellationToken)
    {
        await _filling.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var added = 0;
            while (!_retired && _ready.Count < size)
            {
                _ready.Enqueue(await start(cancellationToken).ConfigureAwait(false));
                added++;
            }

            return added;
        }
        finally
        {
            _filling.Release();
        }
    }

    /// <summary>Waits for a fill in progress, then removes every ready container; returns how many.</summary>
    public async Task<int> RetireAsync(Func<string, Task> remove, CancellationToken cancellationToken)
    {
        await _filling.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            _retired = true;
            var removed = 0;
            while (_ready.TryDequeue(out var containerId))
            {
                await remove(containerId).ConfigureAwait(false);
                removed++;
            }

            return removed;
        }
        finally
        {
            _filling.Release();
        }
    }
}
