namespace Berth.Runtime.Sandboxes;

/// <summary>How writing a file into a sandbox ended: <see cref="Written"/>, <see cref="TooLarge"/> or <see cref="Failed"/>.</summary>
public abstract record FileWriteResult
{
    private FileWriteResult()
    {
    }

    /// <summary>The file holds exactly the bytes sent: <paramref name="Size"/> of them, with this SHA-256 (lower-case hex).</summary>
    public sealed record Written(string Path, long Size, string Sha256) : FileWriteResult;

    /// <summary>The content was longer than <paramref name="MaxBytes"/>; the file was left as it was.</summary>
    public sealed record TooLarge(string Path, long MaxBytes) : FileWriteResult;

    /// <summary>
    /// The sandbox refused the file (the path is a directory, a parent is a file, the disk is
    /// full); <paramref name="Message"/> is its reason. The file was left as it was.
    /// </summary>
    public sealed record Failed(string Path, string Message) : FileWriteResult;
}
