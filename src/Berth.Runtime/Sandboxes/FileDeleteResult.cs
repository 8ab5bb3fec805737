namespace Berth.Runtime.Sandboxes;

/// <summary>
/// How deleting a path in a sandbox ended: <see cref="Deleted"/>, <see cref="NotFound"/>,
/// <see cref="NotEmpty"/> or <see cref="Failed"/>.
/// </summary>
public abstract record FileDeleteResult
{
    private FileDeleteResult()
    {
    }

    /// <summary>The file, symlink or empty directory is gone.</summary>
    public sealed record Deleted(string Path) : FileDeleteResult;

    public sealed record NotFound(string Path) : FileDeleteResult;

    /// <summary>The path is a directory with entries; it was left alone.</summary>
    public sealed record NotEmpty(string Path) : FileDeleteResult;

    /// <summary>The sandbox refused (for example a mount point); <paramref name="Message"/> is its reason.</summary>
    public sealed record Failed(string Path, string Message) : FileDeleteResult;
}
