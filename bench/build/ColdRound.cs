using System.Diagnostics;

namespace Berth.Bench.Build;

/// <summary>A cold Berth build: the build's own duration_ms, and the wall time from POST to ready.</summary>
internal sealed record BerthBuildResult(TimeSpan Wall, TimeSpan Duration, string Image, string ConfigHash);

/// <summary>Both sides' cold build of one round's configuration.</summary>
internal sealed record RoundResult(
    int Round, bool BerthFirst, BerthBuildResult Berth, DockerBuildResult Docker, double? LoadAverage)
{
    public double WallRatio => Berth.Wall / Docker.Wall;

    public double DurationRatio => Berth.Duration / Docker.Wall;
}

/// <summary>
/// One round: the same new configuration built by Berth and by docker build, one after the
/// other. Rounds alternate which side goes first, so that neither always meets warmer mirror
/// and registry caches.
/// </summary>
internal sealed class ColdRound(
    BerthApi api, DockerBaseline docker, BaseImage baseImage, BenchSettings settings, string runId)
{
    public async Task<RoundResult> RunAsync(int round, CancellationToken cancellationToken)
    {
        var config = BuildConfiguration.Unique(runId, $"round {round}");
        var (dockerfile, steps) = EquivalentDockerfile.For(
            config, baseImage.Reference, baseImage.Path, settings.NpmRegistryUrl);
        var berthFirst = round % 2 == 1;

        BerthBuildResult berth;
        DockerBuildResult built;
        if (berthFirst)
        {
            berth = await BuildWithBerthAsync(config, round, cancellationToken);
            built = await docker.BuildAsync(round, dockerfile, steps, settings.BuildTimeout, cancellationToken);
        }
        else
        {
            built = await docker.BuildAsync(round, dockerfile, steps, settings.BuildTimeout, cancellationToken);
            berth = await BuildWithBerthAsync(config, round, cancellationToken);
        }

        return new RoundResult(round, berthFirst, berth, built, MachineLoad.OneMinute());
    }

    private async Task<BerthBuildResult> BuildWithBerthAsync(
        BuildConfiguration config, int round, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var id = await api.CreateEnvironmentAsync(config, $"bench-build-{runId}-round-{round}", cancellationToken);
        var build = await api.WaitForBuildAsync(id, settings.BuildTimeout, cancellationToken);
        var wall = clock.Elapsed;

        if (build.Status != "ready")
        {
            throw new BenchFailedException(
                $"Berth's build of round {round} failed: {build.Error}\n{build.LogTail}");
        }

        if (build.Cache != "miss")
        {
            throw new BenchFailedException(
                $"Berth's build of round {round} was no cold build: its cache reads {build.Cache ?? "null"}.");
        }

        if (build is not { DurationMs: { } milliseconds, Image: { } image, ConfigHash: { } hash })
        {
            throw new BenchFailedException(
                $"Berth's ready build of round {round} lacks duration_ms, image or config_hash.");
        }

        return new BerthBuildResult(wall, TimeSpan.FromMilliseconds(milliseconds), image, hash);
    }
}
