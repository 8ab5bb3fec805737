using Berth.Runtime.BaseImages;

namespace Berth.Runtime.Images;

/// <summary>The environment variables of environment images.</summary>
internal static class ImageEnvironment
{
    /// <summary>
    /// The base image's variables with Berth's virtual environment first on PATH, so that
    /// <c>python3</c> and <c>pip</c> in a session are the ones the pip packages went into.
    /// </summary>
    public static IReadOnlyList<string> WithVirtualEnvironmentFirst(IReadOnlyList<string> baseEnv)
    {
        var venvBin = $"{BaseImageRecipe.VirtualEnvironment}/bin";
        var path = baseEnv.FirstOrDefault(v => v.StartsWith("PATH=", StringComparison.Ordinal));
        var entries = path is null
            ? BaseImageRecipe.DefaultPath.ToList()
            : path["PATH=".Length..].Split(':', StringSplitOptions.RemoveEmptyEntries).ToList();
        entries.Remove(venvBin);
        entries.Insert(0, venvBin);

        return
        [
            .. baseEnv.Where(v => !v.StartsWith("PATH=", StringComparison.Ordinal)),
            $"PATH={string.Join(':', entries)}",
        ];
    }
}
