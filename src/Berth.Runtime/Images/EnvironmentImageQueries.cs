namespace Berth.Runtime.Images;

/// <summary>Whether an environment image exists.</summary>
public enum ImagePresence
{
    /// <summary>The image exists.</summary>
    Present,

    /// <summary>No image for that hash.</summary>
    Absent,

    /// <summary>The container runtime did not answer.</summary>
    RuntimeUnavailable,
}

/// <summary>What became of a request to remove an environment image.</summary>
public enum ImageRemoval
{
    /// <summary>The image is gone.</summary>
    Removed,

    /// <summary>There was no image for that hash.</summary>
    NotFound,

    /// <summary>A container still uses the image; it was kept.</summary>
    InUse,

    /// <summary>The container runtime did not answer.</summary>
    RuntimeUnavailable,
}

/// <summary>An environment image made by this Berth instance.</summary>
public sealed record EnvironmentImage(
    string Image, string ImageId, string ConfigHash, DateTimeOffset CreatedAt, long SizeBytes);

/// <summary>The environment images of this Berth instance, or why they could not be listed.</summary>
public sealed record EnvironmentImageList(IReadOnlyList<EnvironmentImage> Images, string? UnavailableReason)
{
    /// <summary>True when the runtime answered and <see cref="Images"/> is complete.</summary>
    public bool IsAvailable => UnavailableReason is null;
}
