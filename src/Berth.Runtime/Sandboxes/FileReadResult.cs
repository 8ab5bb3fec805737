namespace Berth.Runtime.Sandboxes;

/// <summary>
/// What a path in a sandbox holds: a <see cref="File"/>, a <see cref="Directory"/>, nothing
/// (<see cref="NotFound"/>), or something else (<see cref="NotAFile"/>).
/// </summary>
public abstract record FileReadResult
{
    private FileReadResult()
    {
    }

    /// <summary>
    /// A file's <paramref name="Size"/> bytes, read from the sandbox as <paramref name="Content"/>
    /// is read. The receiver disposes <paramref name="Content"/>, which holds a connection to the engine.
    /// A symlink to a file reads as the file.
    /// </summary>
    public sealed record File(string Path, Stream Content, long Size) : FileReadResult;

    /// <summary>A directory's entries, sorted by name.</summary>
    public sealed record Directory(string Path, IReadOnlyList<SandboxFileEntry> Entries) : FileReadResult;

    /// <summary>Nothing is at <paramref name="Path"/> (a symlink that points nowhere included).</summary>
    public sealed record NotFound(string Path) : FileReadResult;

    /// <summary>A device, pipe or socket: nothing that has content to download.</summary>
    public sealed record NotAFile(string Path) : FileReadResult;
}

/// <summary>The kind of a directory entry.</summary>
public enum SandboxFileType
{
    /// <summary>A regular file, and also a device, pipe or socket.</summary>
    File,
    Directory,
    Symlink,
}

/// <summary>One entry of a directory: its own name, kind, size in bytes and last modification (UTC).</summary>
public sealed record SandboxFileEntry(string Name, SandboxFileType Type, long Size, DateTimeOffset ModifiedAt);
