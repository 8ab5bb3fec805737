namespace Berth.Bench.Api;

/// <summary>One whole bench run: start the servers, seed, measure four phases, report, clean up.</summary>
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
            workDirectory.Delete(recursive: true);
        }
    }

    private static async Task<int> RunInAsync(BenchSettings settings, string workDirectory, CancellationToken cancellationToken)
    {
        Say($"starting berth serve ({settings.BerthDll})");
        var (berthProcess, berthPort, token) = await Servers.StartBerthAsync(settings, workDirectory, cancellationToken);
        using var berth = berthProcess;

        Say($"seeding {settings.SeedCount} environments");
        var ids = await EnvironmentSeeder.SeedAsync(berthPort, token, settings.SeedCount, settings.Connections, cancellationToken);
        var body = await EnvironmentSeeder.GetBodyAsync(berthPort, token, ids[0], cancellationToken);

        ChildProcess? bare = null;
        var barePort = 0;
        if (settings.Phases.Contains("bare"))
        {
            Say($"starting the bare endpoint ({body.Length}-byte body, the size of a GET environment response)");
            (bare, barePort) = await Servers.StartBareAsync(settings, workDirectory, body, cancellationToken);
        }

        using var bareScope = bare;
        Workload[] workloads =
        [
            new("bare", bare!, barePort, GetsById(barePort, token, ids), 200),
            new("get", berth, berthPort, GetsById(berthPort, token, ids), 200),
            new("list", berth, berthPort, [HttpRequests.Get(berthPort, "/v1/environments?limit=20", token)], 200),
            new("create", berth, berthPort,
                [HttpRequests.PostJson(berthPort, "/v1/environments", token, EnvironmentSeeder.CreateBody)], 201),
        ];
        var results = new List<PhaseResult>();
        foreach (var workload in workloads.Where(workload => settings.Phases.Contains(workload.Name)))
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

    /// <summary>The same GET-by-id requests for both servers, so that they differ only in the port.</summary>
    private static byte[][] GetsById(int port, string token, IReadOnlyList<string> ids) =>
        [.. ids.Select(id => HttpRequests.Get(port, $"/v1/environments/{id}", token))];

    private static void EnsureRunning(ChildProcess server)
    {
        if (server.HasExited)
        {
            throw new BenchFailedException($"The {server.Name} server exited during the bench. Its log ends:\n{server.LogTail(30)}");
        }
    }

    private static void Say(string message) => Console.Error.WriteLine($"bench: {message}");
}
