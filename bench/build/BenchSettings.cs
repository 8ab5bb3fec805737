namespace Berth.Bench.Build;

/// <summary>What one bench run does, from the command line.</summary>
internal sealed record BenchSettings(
    string BerthDll,
    int Rounds,
    int CacheHitTries,
    string NpmRegistryUrl,
    TimeSpan BuildTimeout,
    IReadOnlyDictionary<string, string> ServerEnvironment)
{
    /// <summary>
    /// The first build may have to make the base image with mmdebstrap, which takes minutes;
    /// the timed builds never do.
    /// </summary>
    public TimeSpan WarmUpTimeout => BuildTimeout * 4;
}
