namespace Berth.Runtime.Sandboxes;

/// <summary>
/// Paths inside a sandbox. Relative ones are relative to <c>/workspace</c>; nothing else is
/// changed or refused, since a sandbox's files are all its own (<c>..</c> included).
/// </summary>
internal static class SandboxPaths
{
    public static string Resolve(string? path) => path switch
    {
        null or "" => SandboxIsolation.WorkingDirectory,
        _ when path.StartsWith('/') => path,
        _ => $"{SandboxIsolation.WorkingDirectory}/{path}",
    };

    /// <summary>The directory that holds <paramref name="absolutePath"/>.</summary>
    public static string Parent(string absolutePath)
    {
        var trimmed = absolutePath.TrimEnd('/');
        var slash = trimmed.LastIndexOf('/');

        return slash <= 0 ? "/" : trimmed[..slash];
    }
}
