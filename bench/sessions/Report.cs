using System.Globalization;

namespace Berth.Bench.Sessions;

/// <summary>Every measured case as a table, then the ratios and targets of the sessions issue.</summary>
internal sealed class Report
{
    private const double NoPoolTarget = 1.2;
    private const double PoolP50TargetMs = 100;
    private const double PoolP99TargetMs = 300;
    private const double ExecTarget = 1.3;

    private readonly List<Samples> _cases = [];

    public (Samples Berth, Samples Raw)? NoPool { get; set; }

    public Samples? Pool { get; set; }

    public (Samples Berth, Samples Raw)? Exec { get; set; }

    public bool AllTargetsMet => Targets().All(t => t.Met);

    public Samples Add(string name)
    {
        var samples = new Samples(name);
        _cases.Add(samples);

        return samples;
    }

    public void Print(TextWriter output)
    {
        output.WriteLine();
        output.WriteLine($"{"case",-48} {"n",5} {"p50 ms",9} {"p95 ms",9} {"p99 ms",9}");
        foreach (var samples in _cases)
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{samples.Name,-48} {samples.Count,5} {samples.Percentile(50),9:F1} {samples.Percentile(95),9:F1} {samples.Percentile(99),9:F1}"));
        }

        output.WriteLine();
        foreach (var (text, met) in Targets())
        {
            output.WriteLine($"{text,-64} {(met ? "PASS" : "MISS")}");
        }
    }

    private IEnumerable<(string Text, bool Met)> Targets()
    {
        if (NoPool is var (berth, raw))
        {
            var ratio = berth.Percentile(50) / raw.Percentile(50);
            yield return (Format($"no pool p50 / raw engine p50   {ratio:F2}x   target <= {NoPoolTarget}x"), ratio <= NoPoolTarget);
        }

        if (Pool is { } pool)
        {
            yield return (Format($"pool p50                       {pool.Percentile(50):F1} ms   target < {PoolP50TargetMs} ms"),
                pool.Percentile(50) < PoolP50TargetMs);
            yield return (Format($"pool p99                       {pool.Percentile(99):F1} ms   target < {PoolP99TargetMs} ms"),
                pool.Percentile(99) < PoolP99TargetMs);
        }

        if (Exec is var (berthExec, rawExec))
        {
            var ratio = berthExec.Percentile(50) / rawExec.Percentile(50);
            yield return (Format($"exec p50 / raw exec p50        {ratio:F2}x   target <= {ExecTarget}x"), ratio <= ExecTarget);
        }
    }

    private static string Format(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
