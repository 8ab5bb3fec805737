using Docker.DotNet;

namespace Berth.Bench.Sessions;

/// <summary>What one run measures, from the command line.</summary>
internal sealed record BenchSettings(string BerthDll, int Sessions, int Burst, int Bursts, int Execs);

/// <summary>
/// One run: a server without a pool and the raw engine, measured alternately so that both see
/// the same machine, then a server with a pool large enough for a whole burst.
/// </summary>
internal static class SessionBench
{
    public static async Task<Report> RunAsync(BenchSettings settings, CancellationToken cancellationToken)
    {
        using var docker = new DockerClientConfiguration().CreateClient();
        var report = new Report();

        await using (var server = await BerthServer.StartAsync(settings.BerthDll, poolSize: 0, cancellationToken))
        {
            using var client = server.NewClient();
            var berth = new BerthSessions(client);
            Say("building the environment's image without a pool");
            var (environment, image) = await berth.ReadyEnvironmentAsync(cancellationToken);
            var raw = new RawEngine(docker, image, server.Instance);

            Say($"{settings.Sessions} sessions one after another, alternating berth and the raw engine");
            var rawSequential = report.Add("raw engine: create, start, exec, one at a time");
            var berthSequential = report.Add("berth, no pool, one at a time");
            for (var i = 0; i < settings.Sessions; i++)
            {
                await MeasureRawAsync(raw, rawSequential, cancellationToken);
                await MeasureBerthAsync(berth, environment, berthSequential, cancellationToken);
            }

            Say($"{settings.Bursts} bursts of {settings.Burst}");
            var rawBurst = report.Add($"raw engine, bursts of {settings.Burst}");
            var berthBurst = report.Add($"berth, no pool, bursts of {settings.Burst}");
            for (var i = 0; i < settings.Bursts; i++)
            {
                await Task.WhenAll(Enumerable.Range(0, settings.Burst).Select(_ => MeasureRawAsync(raw, rawBurst, cancellationToken)));
                await Task.WhenAll(Enumerable.Range(0, settings.Burst).Select(_ => MeasureBerthAsync(berth, environment, berthBurst, cancellationToken)));
            }

            Say($"{settings.Execs} single commands in one session and in one raw container");
            await MeasureExecRoundTripsAsync(berth, raw, environment, settings.Execs, report, cancellationToken);
            report.NoPool = (berthSequential, rawSequential);
        }

        await using (var server = await BerthServer.StartAsync(settings.BerthDll, poolSize: settings.Burst, cancellationToken))
        {
            using var client = server.NewClient();
            var berth = new BerthSessions(client);
            Say($"a server with a pool of {settings.Burst}");
            var (environment, _) = await berth.ReadyEnvironmentAsync(cancellationToken);
            var pool = new PoolWatch(docker, server.Instance);

            // The pool fills for a configuration once a session has used it.
            await MeasureBerthAsync(berth, environment, new Samples("warm-up"), cancellationToken);
            var pooledSequential = report.Add("berth, pool, one at a time");
            for (var i = 0; i < settings.Sessions; i++)
            {
                await pool.WaitUntilFullAsync(settings.Burst, cancellationToken);
                await MeasureBerthAsync(berth, environment, pooledSequential, cancellationToken);
            }

            var pooledBurst = report.Add($"berth, pool, bursts of {settings.Burst}");
            for (var i = 0; i < settings.Bursts; i++)
            {
                await pool.WaitUntilFullAsync(settings.Burst, cancellationToken);
                await Task.WhenAll(Enumerable.Range(0, settings.Burst).Select(_ => MeasureBerthAsync(berth, environment, pooledBurst, cancellationToken)));
            }

            report.Pool = pooledSequential;
        }

        return report;
    }

    private static async Task MeasureRawAsync(RawEngine raw, Samples samples, CancellationToken cancellationToken)
    {
        var (elapsed, container) = await raw.CreateStartAndExecAsync(cancellationToken);
        samples.Add(elapsed);
        await raw.RemoveAsync(container, cancellationToken);
    }

    private static async Task MeasureBerthAsync(BerthSessions berth, string environment, Samples samples, CancellationToken cancellationToken)
    {
        var (elapsed, session) = await berth.CreateAndRunFirstAsync(environment, cancellationToken);
        samples.Add(elapsed);
        await berth.DeleteAsync(session, cancellationToken);
    }

    private static async Task MeasureExecRoundTripsAsync(
        BerthSessions berth, RawEngine raw, string environment, int count, Report report, CancellationToken cancellationToken)
    {
        var (_, session) = await berth.CreateAndRunFirstAsync(environment, cancellationToken);
        var (_, container) = await raw.CreateStartAndExecAsync(cancellationToken);
        var berthExec = report.Add("berth: POST exec true");
        var rawExec = report.Add("raw engine: exec create, start, inspect");
        for (var i = 0; i < count; i++)
        {
            var clock = System.Diagnostics.Stopwatch.StartNew();
            await raw.ExecTrueAsync(container, cancellationToken);
            rawExec.Add(clock.Elapsed);
            clock.Restart();
            await berth.ExecTrueAsync(session, cancellationToken);
            berthExec.Add(clock.Elapsed);
        }

        await berth.DeleteAsync(session, cancellationToken);
        await raw.RemoveAsync(container, cancellationToken);
        report.Exec = (berthExec, rawExec);
    }

    private static void Say(string message) => Console.Error.WriteLine($"bench: {message}");
}
