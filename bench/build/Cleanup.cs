namespace Berth.Bench.Build;

/// <summary>
/// Removes what the run made in Docker: the environment images and any build container of the
/// bench's own Berth instance, and the images of its docker builds. Others' images are left alone.
/// </summary>
internal static class Cleanup
{
    // Runs after success, failure and Ctrl+C alike, so it does not take the run's token.
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);

    public static async Task RunAsync(string instanceName, IReadOnlyList<string> dockerTags)
    {
        using var timeout = new CancellationTokenSource(Timeout);
        try
        {
            var containers = await DockerCli.ListIdsAsync(
                ["container", "ls", "--all", "--quiet", "--filter", $"label=berth.instance={instanceName}"],
                timeout.Token);
            foreach (var container in containers)
            {
                await DockerCli.RunAsync(["container", "rm", "--force", container], timeout.Token);
            }

            // Only environment images: a base image this instance had to make is kept for the next run.
            var images = await DockerCli.ListIdsAsync(
                ["image", "ls", "--quiet", "--filter", $"label=berth.instance={instanceName}",
                 "--filter", "label=berth.kind=environment-image"], timeout.Token);
            var removed = await DockerCli.RemoveImagesAsync([.. images, .. dockerTags], timeout.Token);
            await Console.Error.WriteLineAsync($"bench: removed {containers.Count} containers and {removed} images");
        }
        catch (Exception error) when (error is BenchFailedException or OperationCanceledException)
        {
            await Console.Error.WriteLineAsync(
                $"bench: cleanup incomplete ({error.Message}); look for label berth.instance={instanceName} " +
                "and tag berth-bench-build");
        }
    }
}
