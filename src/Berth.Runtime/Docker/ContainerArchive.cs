namespace Berth.Runtime.Docker;

/// <summary>What a path in a container is.</summary>
internal enum ContainerPathKind
{
    File,
    Directory,
    Symlink,
    Other,
}

/// <summary>
/// A path in a container as the archive endpoint reports it. For a symlink,
/// <paramref name="LinkTarget"/> is the absolute path it resolves to.
/// </summary>
internal sealed record ContainerPathStat(string Name, long Size, ContainerPathKind Kind, string LinkTarget)
{
    // Go's os.FileMode type bits, in which the engine reports the mode.
    private const uint DirectoryBit = 1u << 31;
    private const uint SymlinkBit = 1u << 27;
    private const uint OtherTypeBits = (1u << 26) | (1u << 25) | (1u << 24) | (1u << 21) | (1u << 19);

    public static ContainerPathKind KindOf(uint mode) =>
        (mode & DirectoryBit) != 0 ? ContainerPathKind.Directory
        : (mode & SymlinkBit) != 0 ? ContainerPathKind.Symlink
        : (mode & OtherTypeBits) != 0 ? ContainerPathKind.Other
        : ContainerPathKind.File;
}

/// <summary>A path's stat and its contents as a tar stream, which the receiver disposes.</summary>
internal sealed record ContainerArchive(ContainerPathStat Stat, Stream Tar);
