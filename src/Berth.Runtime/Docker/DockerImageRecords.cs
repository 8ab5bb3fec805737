namespace Berth.Runtime.Docker;

/// <summary>What Berth reads from an image's configuration.</summary>
internal sealed record ImageDetails(
    string Id,
    IReadOnlyList<string> Env,
    IReadOnlyList<string>? Entrypoint,
    IReadOnlyList<string>? Cmd,
    IReadOnlyDictionary<string, string> Labels);

/// <summary>One row of an image listing.</summary>
internal sealed record ImageSummary(
    string Id,
    IReadOnlyList<string> Tags,
    IReadOnlyDictionary<string, string> Labels,
    DateTimeOffset CreatedAt,
    long SizeBytes);

/// <summary>The configuration a committed image gets, replacing the build container's.</summary>
internal sealed record ImageConfig(
    IReadOnlyList<string> Env,
    string WorkingDir,
    IReadOnlyList<string>? Entrypoint,
    IReadOnlyList<string> Cmd,
    IReadOnlyDictionary<string, string> Labels);

/// <summary>What became of a request to remove an image.</summary>
internal enum ImageDeletion
{
    Removed,
    NotFound,
    InUse,
}
