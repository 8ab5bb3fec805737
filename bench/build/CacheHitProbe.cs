using System.Diagnostics;

namespace Berth.Bench.Build;

/// <summary>How long an environment of an already built configuration takes from POST to a ready build.</summary>
internal sealed record CacheHitResult(IReadOnlyList<TimeSpan> Times)
{
    public TimeSpan P50 => Percentile(0.50);

    public TimeSpan P90 => Percentile(0.90);

    public TimeSpan Max => Times.Max();

    // Nearest rank: a percentile is one of the measured times, never an interpolation.
    private TimeSpan Percentile(double fraction)
    {
        var sorted = Times.Order().ToList();
        var rank = (int)Math.Ceiling(fraction * sorted.Count);

        return sorted[Math.Clamp(rank - 1, 0, sorted.Count - 1)];
    }
}

/// <summary>
/// Times POST /v1/environments followed by GET .../build until that reads ready with cache hit,
/// for a configuration whose image exists: what a client waits before it can start a session.
/// </summary>
internal static class CacheHitProbe
{
    public static async Task<CacheHitResult> RunAsync(
        BerthApi api, BuildConfiguration built, int tries, string runId, CancellationToken cancellationToken)
    {
        // One untimed try, so that no measured one pays for a connection or a first call.
        await TryOnceAsync(api, built, $"bench-build-{runId}-hit-warm-up", cancellationToken);

        var times = new List<TimeSpan>(tries);
        for (var i = 0; i < tries; i++)
        {
            times.Add(await TryOnceAsync(api, built, $"bench-build-{runId}-hit-{i}", cancellationToken));
        }

        return new CacheHitResult(times);
    }

    private static async Task<TimeSpan> TryOnceAsync(
        BerthApi api, BuildConfiguration built, string name, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var id = await api.CreateEnvironmentAsync(built, name, cancellationToken);
        var build = await api.WaitForBuildAsync(id, TimeSpan.FromSeconds(30), cancellationToken);
        var elapsed = clock.Elapsed;

        if (build.Status != "ready" || build.Cache != "hit")
        {
            throw new BenchFailedException(
                $"An environment of an already built configuration read {build.Status}, " +
                $"cache {build.Cache ?? "null"}, not ready with cache hit.");
        }

        return elapsed;
    }
}
