using System.Globalization;

namespace Berth.Bench.Api;

/// <summary>Prints the measurements as a table, then the ratios against their targets.</summary>
internal static class Report
{
    public const double GetToBareTarget = 0.5;
    public const double CreatesPerSecondTarget = 1000;

    /// <returns>Whether every target was met.</returns>
    public static bool Print(BenchSettings settings, IReadOnlyList<PhaseResult> results, TextWriter output)
    {
        var culture = CultureInfo.InvariantCulture;
        output.WriteLine(string.Create(culture,
            $"\n{settings.Connections} connections, {settings.Warmup.TotalSeconds:0} s warm-up + " +
            $"{settings.Duration.TotalSeconds:0} s measured per phase, " +
            $"{Environment.ProcessorCount} cores shared by client and servers\n"));
        output.WriteLine(
            $"{"phase",-8} {"requests",9} {"req/s",9} {"p50 ms",8} {"p99 ms",8} {"errors",7} " +
            $"{"server µs/req",14} {"client µs/req",14} {"server cores",13} {"client cores",13} {"other cores",12}");
        foreach (var result in results)
        {
            output.WriteLine(string.Create(culture,
                $"{result.Name,-8} {result.Requests,9} {result.PerSecond,9:0} {result.P50Milliseconds,8:0.00} " +
                $"{result.P99Milliseconds,8:0.00} {result.Errors,7} {result.ServerMicrosecondsPerRequest,14:0} " +
                $"{result.ClientMicrosecondsPerRequest,14:0} {result.ServerCores,13:0.00} " +
                $"{result.ClientCores,13:0.00} " +
                $"{result.OtherCores,12:0.00}"));
        }

        output.WriteLine(
            "\nµs/req: CPU time per answered request. cores: average cores kept busy. " +
            "other: the rest of the machine; above about 0.2, repeat the run on a quieter machine.");
        foreach (var failed in results.Where(result => result.Errors > 0))
        {
            output.WriteLine($"\n{failed.Name}: {failed.Errors} errors; the first: {failed.FirstError}");
        }

        return PrintTargets(results, output, culture);
    }

    private static bool PrintTargets(IReadOnlyList<PhaseResult> results, TextWriter output, CultureInfo culture)
    {
        var rates = results.ToDictionary(result => result.Name, result => result.PerSecond);
        var met = true;
        output.WriteLine();
        if (rates.TryGetValue("bare", out var bare) && rates.TryGetValue("get", out var get))
        {
            var getMet = get / bare >= GetToBareTarget;
            met &= getMet;
            output.WriteLine(string.Create(culture,
                $"get/bare   {get / bare,8:0.00}x   target >= {GetToBareTarget:0.0}x       {Verdict(getMet)}"));
        }

        if (rates.TryGetValue("bare", out bare) && rates.TryGetValue("list", out var list))
        {
            output.WriteLine(string.Create(culture, $"list/bare  {list / bare,8:0.00}x   (no target)"));
        }

        if (rates.TryGetValue("create", out var create))
        {
            var createMet = create >= CreatesPerSecondTarget;
            met &= createMet;
            output.WriteLine(string.Create(culture,
                $"create     {create,8:0}/s  target >= {CreatesPerSecondTarget:0}/s    {Verdict(createMet)}"));
        }

        return met;
    }

    private static string Verdict(bool met) => met ? "PASS" : "MISS";
}
