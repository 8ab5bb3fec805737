namespace Berth.Runtime.Images;

/// <summary>
/// What to build into one environment image. <see cref="ConfigHash"/> is computed by the caller
/// and names the image; it should cover the base image reference
/// (<see cref="EnvironmentImageBuilder.BaseImageReference"/>), the package lists and the setup script.
/// </summary>
public sealed record ImageBuildRequest(string ConfigHash)
{
    /// <summary>apt package specs, installed with <c>apt-get install --no-install-recommends</c>.</summary>
    public IReadOnlyList<string> Apt { get; init; } = [];

    /// <summary>pip requirement specs, installed into the image's virtual environment.</summary>
    public IReadOnlyList<string> Pip { get; init; } = [];

    /// <summary>npm package specs, installed globally.</summary>
    public IReadOnlyList<string> Npm { get; init; } = [];

    /// <summary>A script run with <c>bash -e</c> as root after the packages; null or empty for none.</summary>
    public string? SetupScript { get; init; }

    /// <summary>Build again from the base even when an image for this hash exists.</summary>
    public bool NoCache { get; init; }

    /// <summary>The network the build's container runs on; null for the engine's default bridge.</summary>
    public BuildNetwork? Network { get; init; }
}

/// <summary>
/// A network for a build's container, as for a sandbox's: its name, the DNS servers to give the
/// container, and <paramref name="JoinAsync"/>, called with the container's id once it runs and
/// before any step, which says whether the container may go on (false fails the build).
/// </summary>
public sealed record BuildNetwork(
    string Name, IReadOnlyList<string> DnsServers, Func<string, CancellationToken, Task<bool>> JoinAsync);
