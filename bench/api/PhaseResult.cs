using System.Diagnostics;

namespace Berth.Bench.Api;

/// <summary>What one connection saw during a phase.</summary>
internal sealed record ConnectionOutcome(List<long> Latencies, int Errors, string? FirstError);

/// <summary>CPU time spent in a phase's window by the server, the client (this bench) and the machine.</summary>
internal sealed record CpuUse(TimeSpan Server, TimeSpan Client, TimeSpan Machine)
{
    /// <summary>Busy time of everything else; clamped, as the counters tick at different rates.</summary>
    public TimeSpan Others => TimeSpan.FromTicks(Math.Max(0, (Machine - Server - Client).Ticks));
}

/// <summary>The measurements of one phase: throughput, latency, errors and who used the CPU.</summary>
internal sealed record PhaseResult(
    string Name,
    long Requests,
    double PerSecond,
    double P50Milliseconds,
    double P99Milliseconds,
    int Errors,
    string? FirstError,
    CpuUse Cpu,
    TimeSpan Window)
{
    public double ServerMicrosecondsPerRequest => PerRequest(Cpu.Server);

    public double ClientMicrosecondsPerRequest => PerRequest(Cpu.Client);

    /// <summary>How many cores the server kept busy on average during the window.</summary>
    public double ServerCores => Cpu.Server / Window;

    public double ClientCores => Cpu.Client / Window;

    public double OtherCores => Cpu.Others / Window;

    public static PhaseResult From(
        string name, IReadOnlyList<ConnectionOutcome> outcomes, CpuUse cpu, TimeSpan window)
    {
        var latencies = outcomes.SelectMany(outcome => outcome.Latencies).ToArray();
        Array.Sort(latencies);

        return new PhaseResult(
            name,
            latencies.Length,
            latencies.Length / window.TotalSeconds,
            Percentile(latencies, 0.50),
            Percentile(latencies, 0.99),
            outcomes.Sum(outcome => outcome.Errors),
            outcomes.Select(outcome => outcome.FirstError).FirstOrDefault(error => error is not null),
            cpu,
            window);
    }

    private double PerRequest(TimeSpan cpu) => Requests == 0 ? 0 : cpu.TotalMicroseconds / Requests;

    private static double Percentile(long[] sorted, double rank) =>
        sorted.Length == 0
            ? double.NaN
            : sorted[(int)Math.Ceiling(rank * sorted.Length) - 1] * 1000.0 / Stopwatch.Frequency;
}
