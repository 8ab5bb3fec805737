namespace Berth.Bench.Build;

/// <summary>One bench run: start berth serve, warm up, time the rounds and the cache hit, report, clean up.</summary>
internal static class BenchRun
{
    /// <summary>What the run measured, for the report.</summary>
    internal sealed record Outcome(
        string Configuration,
        BaseImage BaseImage,
        IReadOnlyList<RoundResult> Rounds,
        IReadOnlyDictionary<string, Dictionary<string, TimeSpan>> BerthSteps,
        CacheHitResult CacheHit);

    public static async Task<int> RunAsync(BenchSettings settings, CancellationToken cancellationToken)
    {
        var runId = Guid.NewGuid().ToString("N")[..10];
        var workDirectory = Directory.CreateTempSubdirectory("berth-bench-build-");
        var docker = new DockerBaseline(workDirectory.FullName, runId);
        var instanceName = $"bench-build-{runId}";
        try
        {
            return await RunInAsync(settings, runId, instanceName, workDirectory.FullName, docker, cancellationToken);
        }
        catch (BenchFailedException error)
        {
            await Console.Error.WriteLineAsync($"bench: {error.Message}");
            return ExitCodes.BenchFailed;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await Console.Error.WriteLineAsync("bench: stopped");
            return ExitCodes.BenchFailed;
        }
        finally
        {
            await Cleanup.RunAsync(instanceName, docker.Tags);
            workDirectory.Delete(recursive: true);
        }
    }

    private static async Task<int> RunInAsync(
        BenchSettings settings, string runId, string instanceName, string workDirectory, DockerBaseline docker,
        CancellationToken cancellationToken)
    {
        Say($"starting berth serve ({settings.BerthDll}), instance {instanceName}");
        await using var server = await BerthServer.StartAsync(
            settings, instanceName, workDirectory, cancellationToken);
        using var api = new BerthApi(server.Address, server.Token);

        var warmUp = BuildConfiguration.Unique(runId, "warm-up");
        Say("warm-up build (untimed; makes the base image if this machine has none)");
        var built = await WarmUpAsync(api, warmUp, settings, runId, cancellationToken);
        var baseImage = await BaseImage.OfAsync(built, cancellationToken);
        Say($"base image {baseImage.Reference}");

        var rounds = new List<RoundResult>();
        var coldRound = new ColdRound(api, docker, baseImage, settings, runId);
        for (var round = 1; round <= settings.Rounds; round++)
        {
            Say($"round {round} of {settings.Rounds}");
            var result = await coldRound.RunAsync(round, cancellationToken);
            server.EnsureRunning();
            Say($"round {round}: berth {result.Berth.Wall.TotalSeconds:0.0} s, " +
                $"docker {result.Docker.Wall.TotalSeconds:0.0} s");
            rounds.Add(result);
            if (round == 1)
            {
                await Equivalence.CheckAsync(result, cancellationToken);
            }
        }

        Say($"cache hit, {settings.CacheHitTries} tries");
        var hit = await CacheHitProbe.RunAsync(api, warmUp, settings.CacheHitTries, runId, cancellationToken);

        var outcome = new Outcome(warmUp.Describe(), baseImage, rounds, BerthStepLog.Read(server.LogText()), hit);

        return Report.Print(outcome, Console.Out) ? ExitCodes.Success : ExitCodes.TargetMissed;
    }

    private static async Task<string> WarmUpAsync(
        BerthApi api, BuildConfiguration config, BenchSettings settings, string runId,
        CancellationToken cancellationToken)
    {
        var id = await api.CreateEnvironmentAsync(config, $"bench-build-{runId}-warm-up", cancellationToken);
        var build = await api.WaitForBuildAsync(id, settings.WarmUpTimeout, cancellationToken);
        if (build.Status != "ready" || build.Image is null)
        {
            throw new BenchFailedException($"The warm-up build failed: {build.Error}\n{build.LogTail}");
        }

        return build.Image;
    }

    private static void Say(string message) => Console.Error.WriteLine($"bench: {message}");
}
