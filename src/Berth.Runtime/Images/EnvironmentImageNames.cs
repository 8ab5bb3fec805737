using System.Text.RegularExpressions;

namespace Berth.Runtime.Images;

/// <summary>The image reference of each configuration hash: <c>berth/env:&lt;hash&gt;</c>.</summary>
public static partial class EnvironmentImageNames
{
    /// <summary>The repository all environment images are tagged in.</summary>
    public const string Repository = "berth/env";

    /// <summary>The reference of the image for <paramref name="configHash"/>.</summary>
    /// <exception cref="ArgumentException">The hash cannot be a Docker tag.</exception>
    public static string For(string configHash)
    {
        ArgumentNullException.ThrowIfNull(configHash);
        if (!TagPattern().IsMatch(configHash))
        {
            throw new ArgumentException(
                $"Config hash '{configHash}' is not a valid image tag: "
                + "use 1-128 of [A-Za-z0-9_.-], not starting with '.' or '-'.",
                nameof(configHash));
        }

        return $"{Repository}:{configHash}";
    }

    [GeneratedRegex("^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$")]
    private static partial Regex TagPattern();
}
