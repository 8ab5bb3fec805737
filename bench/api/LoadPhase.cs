using System.Diagnostics;
using System.Net.Sockets;

namespace Berth.Bench.Api;

/// <summary>
/// Drives one server with a fixed number of connections, each sending its next request as soon
/// as the last one is answered.
/// </summary>
/// <remarks>
/// A closed loop: the load is as high as the server can take with that many requests in flight,
/// which is what "throughput at 16 connections" means. The warm-up lets the JIT, the thread pool
/// and SQLite's page cache settle; only requests that finish inside the window after it count.
/// </remarks>
internal static class LoadPhase
{
    public static async Task<PhaseResult> RunAsync(
        Workload workload, BenchSettings settings, CancellationToken cancellationToken)
    {
        var measureFrom = Stopwatch.GetTimestamp() + Ticks(settings.Warmup);
        var measureUntil = measureFrom + Ticks(settings.Duration);
        var connections = Enumerable.Range(0, settings.Connections)
            .Select(index => RunConnectionAsync(
                workload, index, settings.Connections, measureFrom, measureUntil, cancellationToken))
            .ToArray();
        var cpu = await MeasureCpuAsync(workload.Server, measureFrom, measureUntil, cancellationToken);
        var outcomes = await Task.WhenAll(connections);

        return PhaseResult.From(workload.Name, outcomes, cpu, settings.Duration);
    }

    private static async Task<ConnectionOutcome> RunConnectionAsync(
        Workload workload,
        int index,
        int count,
        long measureFrom,
        long measureUntil,
        CancellationToken cancellationToken)
    {
        // Connections start at different places in the request list, so that GETs by id spread
        // over the whole seeded set instead of all asking for the same row.
        var requests = workload.Requests;
        var next = index * requests.Count / count;
        var latencies = new List<long>(64 * 1024);
        var errors = 0;
        string? firstError = null;
        HttpConnection? connection = null;
        try
        {
            while (Stopwatch.GetTimestamp() < measureUntil)
            {
                var began = Stopwatch.GetTimestamp();
                int status;
                try
                {
                    connection ??= await HttpConnection.OpenAsync(workload.Server.Port, cancellationToken);
                    status = await connection.SendAsync(requests[next++ % requests.Count], cancellationToken);
                }
                catch (Exception error) when (error is SocketException or IOException)
                {
                    connection?.Dispose();
                    connection = null;
                    errors++;
                    firstError ??= error.Message;
                    await Task.Delay(10, cancellationToken);
                    continue;
                }

                var ended = Stopwatch.GetTimestamp();
                if (status != workload.ExpectedStatus)
                {
                    errors++;
                    firstError ??= $"HTTP {status}: {connection.BodyText}";
                }
                else if (ended >= measureFrom && ended <= measureUntil)
                {
                    latencies.Add(ended - began);
                }
            }
        }
        finally
        {
            connection?.Dispose();
        }

        return new ConnectionOutcome(latencies, errors, firstError);
    }

    /// <summary>CPU time used by the server, by this bench (the client) and by the machine inside the window.</summary>
    private static async Task<CpuUse> MeasureCpuAsync(
        ChildProcess server, long measureFrom, long measureUntil, CancellationToken cancellationToken)
    {
        using var self = Process.GetCurrentProcess();
        await DelayUntilAsync(measureFrom, cancellationToken);
        var serverBefore = server.CpuTime;
        self.Refresh();
        var clientBefore = self.TotalProcessorTime;
        var machineBefore = MachineCpu.Busy();

        await DelayUntilAsync(measureUntil, cancellationToken);
        var serverAfter = server.CpuTime;
        self.Refresh();
        var clientAfter = self.TotalProcessorTime;
        var machineAfter = MachineCpu.Busy();

        return new CpuUse(serverAfter - serverBefore, clientAfter - clientBefore, machineAfter - machineBefore);
    }

    private static Task DelayUntilAsync(long timestamp, CancellationToken cancellationToken)
    {
        var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), timestamp);

        return wait > TimeSpan.Zero ? Task.Delay(wait, cancellationToken) : Task.CompletedTask;
    }

    private static long Ticks(TimeSpan span) => (long)(span.TotalSeconds * Stopwatch.Frequency);
}
