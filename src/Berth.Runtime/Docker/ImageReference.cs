namespace Berth.Runtime.Docker;

/// <summary>Splits image references the way the Engine API wants them: repository and tag apart.</summary>
internal static class ImageReference
{
    public static (string Repository, string Tag) Split(string reference)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(reference);

        if (reference.Contains('@', StringComparison.Ordinal))
        {
            return (reference, "");
        }

        // A colon before the last slash belongs to a registry port, not to a tag.
        var lastSlash = reference.LastIndexOf('/');
        var lastColon = reference.LastIndexOf(':');
        if (lastColon <= lastSlash)
        {
            return (reference, "latest");
        }

        return (reference[..lastColon], reference[(lastColon + 1)..]);
    }
}
