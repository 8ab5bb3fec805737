using System.Globalization;

namespace Berth.Bench.Build;

/// <summary>Prints the rounds, where their time went, the cache hit, and each target with PASS or MISS.</summary>
internal static class Report
{
    public const double BuildRatioTarget = 1.10;
    public const double CacheHitTargetMilliseconds = 50;

    private static readonly string[] Steps = ["apt", "npm", "setup_script"];

    /// <returns>Whether every target was met.</returns>
    public static bool Print(BenchRun.Outcome outcome, TextWriter output)
    {
        PrintRounds(outcome, output);
        PrintSteps(outcome, output);
        PrintCacheHit(outcome.CacheHit, output);

        return PrintTargets(outcome, output);
    }

    private static void PrintRounds(BenchRun.Outcome outcome, TextWriter output)
    {
        var builder = outcome.Rounds.All(round => round.Docker.LegacyBuilder) ? "legacy builder" : "BuildKit";
        Line(output, $"\nCold builds of {outcome.Configuration}, each configuration new (no cache on either side)");
        Line(output, $"FROM {outcome.BaseImage.Reference}; docker build --no-cache with the {builder}; " +
            $"{Environment.ProcessorCount} cores\n");
        Line(output, $"{"round",-7}{"first",-8}{"berth duration_ms",18}{"berth wall",12}{"docker build",14}" +
            $"{"ratio (wall)",14}{"ratio (duration)",18}");
        foreach (var round in outcome.Rounds)
        {
            Line(output, $"{round.Round,-7}{(round.BerthFirst ? "berth" : "docker"),-8}{Seconds(round.Berth.Duration),18}" +
                $"{Seconds(round.Berth.Wall),12}{Seconds(round.Docker.Wall),14}{Ratio(round.WallRatio),14}" +
                $"{Ratio(round.DurationRatio),18}");
        }

        var rounds = outcome.Rounds;
        Line(output, $"{"median",-15}{Seconds(Median(rounds, r => r.Berth.Duration)),18}" +
            $"{Seconds(Median(rounds, r => r.Berth.Wall)),12}{Seconds(Median(rounds, r => r.Docker.Wall)),14}" +
            $"{Ratio(Median(rounds.Select(r => r.WallRatio))),14}{Ratio(Median(rounds.Select(r => r.DurationRatio))),18}");
        Line(output, "\nwall: POST to the first GET that reads ready (polled every 50 ms); docker build: the CLI's run.");
    }

    private static void PrintSteps(BenchRun.Outcome outcome, TextWriter output)
    {
        var rounds = outcome.Rounds;
        Line(output, "\nWhere the time goes, median over rounds, seconds");
        Line(output, $"{"step",-30}{"berth",10}{"docker",10}");
        foreach (var step in Steps)
        {
            Line(output, $"{step,-30}{StepSeconds(rounds, r => Step(outcome, r, step))}" +
                $"{StepSeconds(rounds, r => r.Docker.Steps.GetValueOrDefault(step))}");
        }

        Line(output, $"{"rest of the build",-30}{Seconds(Median(rounds, r => r.Berth.Duration - StepSum(outcome, r))),10}" +
            $"{Seconds(Median(rounds, r => r.Docker.Wall - r.Docker.Steps.Values.Aggregate(TimeSpan.Zero, (a, b) => a + b))),10}");
        Line(output, $"{"after the build (berth)",-30}{Seconds(Median(rounds, r => r.Berth.Wall - r.Berth.Duration)),10}");
        Line(output,
            "\nberth step: the exec alone. docker step: its RUN from start to the next step, so with the\n" +
            "container create, start, commit and removal of that step. rest: berth's duration_ms minus its\n" +
            "steps (inspect, container create and start, kill, commit); docker's wall minus its RUNs (FROM, ENV,\n" +
            "WORKDIR, the CLI and context). after: berth's wall minus duration_ms (queueing, removing the\n" +
            "build container, storing the result, and the poll).");
    }

    private static void PrintCacheHit(CacheHitResult hit, TextWriter output)
    {
        Line(output, $"\nCache hit: POST /v1/environments + GET .../build until ready with cache hit, {hit.Times.Count} tries");
        Line(output, $"p50 {Milliseconds(hit.P50)}   p90 {Milliseconds(hit.P90)}   max {Milliseconds(hit.Max)}");
    }

    private static bool PrintTargets(BenchRun.Outcome outcome, TextWriter output)
    {
        var ratio = Median(outcome.Rounds.Select(round => round.WallRatio));
        var ratioMet = ratio <= BuildRatioTarget;
        var hit = outcome.CacheHit.P50.TotalMilliseconds;
        var hitMet = hit < CacheHitTargetMilliseconds;

        Line(output, $"\n{"target",-40}{"value",10}{"target",12}  verdict");
        Line(output, $"{"cold build, berth/docker (median, wall)",-40}{Ratio(ratio),10}{"<= " + Ratio(BuildRatioTarget),12}" +
            $"  {Verdict(ratioMet)}");
        Line(output, $"{"cache hit, POST + GET ready (p50)",-40}{Milliseconds(outcome.CacheHit.P50),10}" +
            $"{"< " + CacheHitTargetMilliseconds + " ms",12}  {Verdict(hitMet)}");

        return ratioMet && hitMet;
    }

    private static TimeSpan? Step(BenchRun.Outcome outcome, RoundResult round, string step) =>
        outcome.BerthSteps.TryGetValue(round.Berth.Image, out var steps) && steps.TryGetValue(step, out var time)
            ? time
            : null;

    private static TimeSpan StepSum(BenchRun.Outcome outcome, RoundResult round) =>
        Steps.Select(step => Step(outcome, round, step) ?? TimeSpan.Zero).Aggregate(TimeSpan.Zero, (a, b) => a + b);

    private static string StepSeconds(IReadOnlyList<RoundResult> rounds, Func<RoundResult, TimeSpan?> time)
    {
        var known = rounds.Select(time).OfType<TimeSpan>().ToList();

        return known.Count == 0 ? $"{"-",10}" : Seconds(Median(known, t => t)).PadLeft(10);
    }

    private static TimeSpan Median<T>(IReadOnlyList<T> items, Func<T, TimeSpan> time) =>
        TimeSpan.FromTicks((long)Median(items.Select(item => (double)time(item).Ticks)));

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        var middle = sorted.Count / 2;

        return sorted.Count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }

    private static string Seconds(TimeSpan time) => string.Create(CultureInfo.InvariantCulture, $"{time.TotalSeconds:0.00}");

    private static string Milliseconds(TimeSpan time) =>
        string.Create(CultureInfo.InvariantCulture, $"{time.TotalMilliseconds:0.0} ms");

    private static string Ratio(double ratio) => string.Create(CultureInfo.InvariantCulture, $"{ratio:0.00}x");

    private static string Verdict(bool met) => met ? "PASS" : "MISS";

    private static void Line(TextWriter output, string text) => output.WriteLine(text);
}
