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
        var rounds = outcome.Rounds;
        var builder = rounds.All(round => round.Docker.LegacyBuilder) ? "legacy builder" : "BuildKit";
        output.WriteLine($"\nCold builds of {outcome.Configuration}, each configuration new (no cache on either side)");
        output.WriteLine($"FROM {outcome.BaseImage.Reference}; docker build --no-cache with the {builder}; " +
            $"{Environment.ProcessorCount} cores\n");
        output.WriteLine($"{"round",-7}{"first",-8}{"berth duration_ms",18}{"berth wall",12}{"docker build",14}" +
            $"{"ratio (wall)",14}{"ratio (duration)",18}{"load",7}");
        foreach (var round in rounds)
        {
            var first = round.BerthFirst ? "berth" : "docker";
            output.WriteLine($"{round.Round,-7}{first,-8}{Seconds(round.Berth.Duration),18}" +
                $"{Seconds(round.Berth.Wall),12}{Seconds(round.Docker.Wall),14}{Ratio(round.WallRatio),14}" +
                $"{Ratio(round.DurationRatio),18}{Load(round.LoadAverage),7}");
        }

        var wallRatio = Median(rounds.Select(r => r.WallRatio));
        var durationRatio = Median(rounds.Select(r => r.DurationRatio));
        output.WriteLine($"{"median",-15}{Seconds(Median(rounds, r => r.Berth.Duration)),18}" +
            $"{Seconds(Median(rounds, r => r.Berth.Wall)),12}{Seconds(Median(rounds, r => r.Docker.Wall)),14}" +
            $"{Ratio(wallRatio),14}{Ratio(durationRatio),18}");
        output.WriteLine(
            "\nwall: POST to the first GET that reads ready (polled every 50 ms); docker build: the CLI's run.\n" +
            "The median ratio is the median of the rounds' ratios: each pairs two builds run back to back.\n" +
            "load: the machine's 1-minute load average after the round; above the core count, other work\n" +
            "competes with both sides and the ratios are noisy.");
    }

    private static void PrintSteps(BenchRun.Outcome outcome, TextWriter output)
    {
        var rounds = outcome.Rounds;
        output.WriteLine("\nWhere the time goes, seconds");
        output.WriteLine($"{"round",-7}{"side",-8}{"apt",8}{"npm",8}{"setup",8}{"rest",8}{"after",8}{"total",8}");
        foreach (var round in rounds)
        {
            var label = round.Round.ToString(CultureInfo.InvariantCulture);
            output.WriteLine(BerthSteps(label, outcome, [round]));
            output.WriteLine(DockerSteps(label, [round]));
        }

        output.WriteLine(BerthSteps("median", outcome, rounds));
        output.WriteLine(DockerSteps("median", rounds));
        output.WriteLine(
            "\nberth apt/npm/setup: the exec alone; rest: duration_ms minus the steps (inspect, container\n" +
            "create and start, kill, and the one commit); after: wall minus duration_ms (queueing, removing\n" +
            "the build container, storing the result, the poll). docker apt/npm/setup: the RUN from its\n" +
            "Step line to the next, with that step's container create, start, commit and removal; rest:\n" +
            "FROM, ENV, WORKDIR, the CLI and the context upload.");
    }

    private static string BerthSteps(string label, BenchRun.Outcome outcome, IReadOnlyList<RoundResult> rounds)
    {
        var columns = Steps.Select(step => StepSeconds(rounds, round => BerthStep(outcome, round, step)));
        var rest = Median(rounds, round => round.Berth.Duration - BerthStepSum(outcome, round));
        var after = Median(rounds, round => round.Berth.Wall - round.Berth.Duration);
        var total = Median(rounds, round => round.Berth.Wall);

        return $"{label,-7}{"berth",-8}{string.Concat(columns)}{Seconds(rest),8}{Seconds(after),8}{Seconds(total),8}";
    }

    private static string DockerSteps(string label, IReadOnlyList<RoundResult> rounds)
    {
        var columns = Steps.Select(step => StepSeconds(rounds, round => DockerStep(round, step)));
        var rest = Median(rounds, round => round.Docker.Wall - Sum(round.Docker.Steps.Values));
        var total = Median(rounds, round => round.Docker.Wall);

        return $"{label,-7}{"docker",-8}{string.Concat(columns)}{Seconds(rest),8}{"",8}{Seconds(total),8}";
    }

    private static void PrintCacheHit(CacheHitResult hit, TextWriter output)
    {
        output.WriteLine(
            $"\nCache hit: POST /v1/environments + GET .../build until ready with cache hit, {hit.Times.Count} tries");
        output.WriteLine($"p50 {Milliseconds(hit.P50)}   p90 {Milliseconds(hit.P90)}   max {Milliseconds(hit.Max)}");
    }

    private static bool PrintTargets(BenchRun.Outcome outcome, TextWriter output)
    {
        var ratio = Median(outcome.Rounds.Select(round => round.WallRatio));
        var ratioMet = ratio <= BuildRatioTarget;
        var hit = outcome.CacheHit.P50;
        var hitMet = hit.TotalMilliseconds < CacheHitTargetMilliseconds;

        output.WriteLine($"\n{"target",-40}{"value",10}{"target",12}  verdict");
        output.WriteLine($"{"cold build, berth/docker (median, wall)",-40}{Ratio(ratio),10}" +
            $"{"<= " + Ratio(BuildRatioTarget),12}  {Verdict(ratioMet)}");
        output.WriteLine($"{"cache hit, POST + GET ready (p50)",-40}{Milliseconds(hit),10}" +
            $"{"< " + CacheHitTargetMilliseconds + " ms",12}  {Verdict(hitMet)}");

        return ratioMet && hitMet;
    }

    private static TimeSpan? BerthStep(BenchRun.Outcome outcome, RoundResult round, string step) =>
        outcome.BerthSteps.TryGetValue(round.Berth.Image, out var steps) && steps.TryGetValue(step, out var time)
            ? time
            : null;

    private static TimeSpan? DockerStep(RoundResult round, string step) =>
        round.Docker.Steps.TryGetValue(step, out var time) ? time : null;

    private static TimeSpan BerthStepSum(BenchRun.Outcome outcome, RoundResult round) =>
        Sum(Steps.Select(step => BerthStep(outcome, round, step) ?? TimeSpan.Zero));

    private static TimeSpan Sum(IEnumerable<TimeSpan> times) => times.Aggregate(TimeSpan.Zero, (a, b) => a + b);

    private static string StepSeconds(IReadOnlyList<RoundResult> rounds, Func<RoundResult, TimeSpan?> time)
    {
        var known = rounds.Select(time).OfType<TimeSpan>().ToList();

        return known.Count == 0 ? $"{"-",8}" : Seconds(Median(known, t => t)).PadLeft(8);
    }

    private static TimeSpan Median<T>(IReadOnlyList<T> items, Func<T, TimeSpan> time) =>
        TimeSpan.FromTicks((long)Median(items.Select(item => (double)time(item).Ticks)));

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        var middle = sorted.Count / 2;

        return sorted.Count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }

    private static string Seconds(TimeSpan time) =>
        string.Create(CultureInfo.InvariantCulture, $"{time.TotalSeconds:0.00}");

    private static string Milliseconds(TimeSpan time) =>
        string.Create(CultureInfo.InvariantCulture, $"{time.TotalMilliseconds:0.0} ms");

    private static string Ratio(double ratio) => string.Create(CultureInfo.InvariantCulture, $"{ratio:0.00}x");

    private static string Load(double? load) =>
        load is { } value ? string.Create(CultureInfo.InvariantCulture, $"{value:0.0}") : "-";

    private static string Verdict(bool met) => met ? "PASS" : "MISS";
}
