namespace Berth.Bench.Build;

/// <summary>The image Berth builds from, found from one it built; the Dockerfile starts FROM it too.</summary>
internal sealed record BaseImage(string Reference, string Path)
{
    // What an image without PATH gets from Docker, as Berth assumes too.
    private const string DefaultPath = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    /// <summary>
    /// The parent of an image Berth committed is the base image it started its build container
    /// from. Asking Docker, rather than working out the tag, keeps the bench right when the
    /// server is configured with another base (Runtime:BaseImage).
    /// </summary>
    public static async Task<BaseImage> OfAsync(string berthImage, CancellationToken cancellationToken)
    {
        var parent = await DockerCli.InspectImageAsync(berthImage, "{{.Parent}}", cancellationToken);
        if (string.IsNullOrEmpty(parent))
        {
            throw new BenchFailedException(
                $"Docker does not name the parent of {berthImage}, so the base image is unknown " +
                "(an engine with the containerd image store does not record it).");
        }

        var tags = await DockerCli.InspectImageAsync(parent, "{{join .RepoTags \" \"}}", cancellationToken) ?? "";
        var reference = tags.Split(' ', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault() ?? parent;
        var env = await DockerCli.InspectImageAsync(
            parent, "{{range .Config.Env}}{{println .}}{{end}}", cancellationToken);
        var path = env?.Split('\n').FirstOrDefault(line => line.StartsWith("PATH=", StringComparison.Ordinal));

        return new BaseImage(reference, path is null ? DefaultPath : path["PATH=".Length..]);
    }
}
