namespace Berth.Bench.Build;

/// <summary>
/// Checks that the two sides made the same kind of image: the same environment, working
/// directory, command and entrypoint. A difference means the Dockerfile no longer does what
/// Berth does, and the timing compares different work.
/// </summary>
internal static class Equivalence
{
    // One line per variable, then the rest; the variables are compared as a set, since a commit
    // and a Dockerfile's ENV order them differently.
    private const string ConfigFormat =
        "{{range .Config.Env}}Env {{println .}}{{end}}WorkingDir={{.Config.WorkingDir}}\n" +
        "Cmd={{json .Config.Cmd}}\nEntrypoint={{json .Config.Entrypoint}}";

    // What the configuration installed and what its setup script left behind.
    private const string ContentProbe =
        "dpkg-query --show jq tree && npm ls --global --depth 0 --parseable is-number " +
        "&& cat /workspace/demo/ready.txt /workspace/demo/tree.txt";

    public static async Task CheckAsync(RoundResult round, CancellationToken cancellationToken)
    {
        Compare(round, "configurations",
            await ConfigOfAsync(round.Berth.Image, cancellationToken),
            await ConfigOfAsync(round.Docker.Tag, cancellationToken));
        Compare(round, "contents",
            await ContentOfAsync(round.Berth.Image, cancellationToken),
            await ContentOfAsync(round.Docker.Tag, cancellationToken));
    }

    private static void Compare(RoundResult round, string what, string berth, string docker)
    {
        if (berth != docker)
        {
            throw new BenchFailedException(
                $"The {what} of the images of round {round.Round} differ, so the Dockerfile is not equivalent:\n" +
                $"berth:\n{berth}\ndocker:\n{docker}");
        }
    }

    private static async Task<string> ContentOfAsync(string image, CancellationToken cancellationToken)
    {
        var result = await DockerCli.RunAsync(
            ["run", "--rm", "--network", "none", image, "bash", "-c", ContentProbe], cancellationToken);

        return result.Succeeded
            ? result.Output
            : $"(the probe failed with exit code {result.ExitCode})\n{result.Output}";
    }

    private static async Task<string> ConfigOfAsync(string image, CancellationToken cancellationToken)
    {
        var config = await DockerCli.InspectImageAsync(image, ConfigFormat, cancellationToken)
            ?? throw new BenchFailedException($"The image {image} is gone.");

        // Berth commits an empty entrypoint where a Dockerfile inherits none: both run the command as is.
        var lines = config.Replace("Entrypoint=[]", "Entrypoint=null", StringComparison.Ordinal)
            .Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Order(StringComparer.Ordinal);

        return string.Join('\n', lines);
    }
}
