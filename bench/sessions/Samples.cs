namespace Berth.Bench.Sessions;

/// <summary>Timings of one measured case, in milliseconds, with the percentiles the report shows.</summary>
internal sealed class Samples(string name)
{
    private readonly List<double> _milliseconds = [];

    public string Name => name;

    public int Count => _milliseconds.Count;

    public void Add(TimeSpan elapsed)
    {
        lock (_milliseconds)
        {
            _milliseconds.Add(elapsed.TotalMilliseconds);
        }
    }

    /// <summary>The nearest-rank percentile: the smallest sample at or above <paramref name="percent"/> of them.</summary>
    public double Percentile(double percent)
    {
        if (_milliseconds.Count == 0)
        {
            return double.NaN;
        }

        var sorted = _milliseconds.Order().ToList();
        var rank = (int)Math.Ceiling(percent / 100 * sorted.Count);

        return sorted[Math.Clamp(rank - 1, 0, sorted.Count - 1)];
    }
}
