namespace Berth.Bench.Build;

/// <summary>
/// Checks that the two sides made the same kind of image: the same environment, working
/// directory, command and entrypoint. A difference means the Dockerfile no longer does what
/// Berth does, and the timing compares different work.
/// </summary>
internal static class Equivalence
{
    private const string ConfigFormat =
        "Env={{json .Config.Env}}\nWorkingDir={{.Config.WorkingDir}}\nCmd={{json .Config.Cmd}}\n" +
        "Entrypoint={{json .Config.Entrypoint}}";

    public static async Task CheckAsync(RoundResult round, string dockerImage, CancellationToken cancellationToken)
    {
        var berth = await ConfigOfAsync(round.Berth.Image, cancellationToken);
        var docker = await ConfigOfAsync(dockerImage, cancellationToken);
        if (berth != docker)
        {
            throw new BenchFailedException(
                $"The images of round {round.Round} differ, so the Dockerfile is not equivalent:\n" +
                $"berth:\n{berth}\ndocker:\n{docker}");
        }
    }

    private static async Task<string> ConfigOfAsync(string image, CancellationToken cancellationToken)
    {
        var config = await DockerCli.InspectImageAsync(image, ConfigFormat, cancellationToken)
            ?? throw new BenchFailedException($"The image {image} is gone.");

        // Berth commits an empty entrypoint where a Dockerfile inherits none: both run the command as is.
        return config.Replace("Entrypoint=[]", "Entrypoint=null", StringComparison.Ordinal);
    }
}
