namespace Berth.Api.Builds;

/// <summary>How builds are scheduled and how long unused images are kept.</summary>
public sealed class BuildOptions
{
    public const string SectionName = "Builds";

    /// <summary>Builds that run at once; each one is a container installing packages.</summary>
    public int MaxConcurrentBuilds { get; set; } = 2;

    /// <summary>How long an image that nothing references is kept before it is removed.</summary>
    public TimeSpan UnusedImageGracePeriod { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How often unused images are looked for.</summary>
    public TimeSpan ImageCollectionInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// How much of a build's log is kept, in bytes; past this the log says it was cut and the
    /// build goes on. The log is held in memory while the build runs, for those who follow it.
    /// </summary>
    public long MaxLogBytes { get; set; } = 16 * 1024 * 1024;

    /// <summary>How often a missing container runtime is asked again while builds wait for it.</summary>
    public TimeSpan RuntimeRetryInterval { get; set; } = TimeSpan.FromSeconds(2);
}
