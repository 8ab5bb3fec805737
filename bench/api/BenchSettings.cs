namespace Berth.Bench.Api;

/// <summary>How one bench run is shaped: what to start, how hard and how long to push it.</summary>
internal sealed record BenchSettings(
    string BerthDll,
    int Connections,
    TimeSpan Warmup,
    TimeSpan Duration,
    int SeedCount,
    IReadOnlyDictionary<string, string> ServerEnvironment,
    IReadOnlySet<string> Phases,
    bool WithRuntime)
{
    /// <summary>Every phase the bench knows, in the order it runs them.</summary>
    public static readonly string[] AllPhases = ["bare", "get", "list", "create"];

    /// <summary>The measured phases, plus start-up and seeding; past it the run is abandoned.</summary>
    public TimeSpan TimeLimit => Phases.Count * (Warmup + Duration) + TimeSpan.FromMinutes(4);
}
