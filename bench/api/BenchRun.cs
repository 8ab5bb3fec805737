namespace Berth.Bench.Api;

/// <summary>One whole bench run: start the servers, seed, measure each phase, report, clean up.</summary>
internal static class BenchRun
{
    public static async Task<int> RunAsync(BenchSettings settings, CancellationToken cancellationToken)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(settings.TimeLimit);
        var workDirectory = Directory.CreateTempSubdirectory("berth-bench-");
        try
        {
            return await RunInAsync(settings, workDirectory.FullName, limit.Token);
        }
        catch (BenchFailedException error)
        {
            await Console.Error.WriteLineAsync($"bench: {error.Message}");
            return ExitCodes.BenchFailed;
        }
        catch (OperationCanceledException) when (limit.IsCancellationRequested)
        {
            var reason = cancellationToken.IsCancellationRequested
                ? "stopped"
                : $"gave up after its time limit of {settings.TimeLimit.TotalSeconds:0} s";
            await Console.Error.WriteLineAsync($"bench: {reason}");
            return ExitCodes.BenchFailed;
        }
        finally
        {
            // The servers are stopped by now: every one is disposed inside RunInAsync.
            workDirectory.Delete(recursive: true);
        }
    }

    private static async Task<int> RunInAsync(
        BenchSettings settings, string workDirectory, CancellationToken cancellationToken)
    {
        Say($"starting berth serve ({settings.BerthDll})");
        var (berthProcess, token) = await Servers.StartBerthAsync(settings, workDirectory, cancellationToken);
        using var berth = berthProcess;

        Say($"seeding {settings.SeedCount} environments");
        var ids = await EnvironmentSeeder.SeedAsync(
            berth.Port, token, settings.SeedCount, settings.Connections, cancellationToken);
        var body = await EnvironmentSeeder.GetBodyAsync(berth.Port, token, ids[0], cancellationToken);

        using var bare = settings.Phases.Contains("bare")
            ? await StartBareAsync(settings, workDirectory, body, cancellationToken)
            : null;
        var results = new List<PhaseResult>();
        var workloads = Workloads(berth, bare, token, ids).Where(workload => settings.Phases.Contains(workload.Name));
        foreach (var workload in workloads)
        {
            Say($"measuring {workload.Name}");
            results.Add(await LoadPhase.RunAsync(workload, settings, cancellationToken));
            EnsureRunning(workload.Server);
        }

        var met = Report.Print(settings, results, Console.Out);
        if (results.Any(result => result.Errors > 0 || result.Requests == 0))
        {
            return ExitCodes.BenchFailed;
        }

        return met ? ExitCodes.Success : ExitCodes.TargetMissed;
    }

    private static async Task<ChildProcess> StartBareAsync(
        BenchSettings settings, string workDirectory, byte[] body, CancellationToken cancellationToken)
    {
        Say($"starting the bare endpoint ({body.Length}-byte body, the size of a GET environment response)");

        return await Servers.StartBareAsync(settings, workDirectory, body, cancellationToken);
    }

    /// <summary>The phases in the order they run; bare and get send the same requests but for the port.</summary>
    private static IEnumerable<Workload> Workloads(
        ChildProcess berth, ChildProcess? bare, string token, IReadOnlyList<string> ids)
    {
        if (bare is not null)
        {
            yield return new Workload("bare", bare, GetsById(bare.Port, token, ids), 200);
        }

        yield return new Workload("get", berth, GetsById(berth.Port, token, ids), 200);
        var list = HttpRequests.Get(berth.Port, "/v1/environments?limit=20", token);
        yield return new Workload("list", berth, [list], 200);
        var create = HttpRequests.PostJson(berth.Port, "/v1/environments", token, EnvironmentSeeder.CreateBody);
        yield return new Workload("create", berth, [create], 201);
    }

    private static byte[][] GetsById(int port, string token, IReadOnlyList<string> ids) =>
        [.. ids.Select(id => HttpRequests.Get(port, $"/v1/environments/{id}", token))];

    private static void EnsureRunning(ChildProcess server)
    {
        if (server.HasExited)
        {
            throw new BenchFailedException(
                $"The {server.Name} server exited during the bench. Its log ends:\n{server.LogTail(30)}");
        }
    }

    private static void Say(string message) => Console.Error.WriteLine($"bench: {message}");
}
