using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Berth.Core.Environments;

/// <summary>Identifies the image a config needs, so that configs needing the same image share one build.</summary>
/// <remarks>
/// Only what goes into the image counts: the base image, the packages and the setup script.
/// Networking is enforced at run time by the egress gateway, so it does not change the hash.
/// Package lists are compared as sets, because install order does not change what is installed.
/// </remarks>
public static class ConfigHash
{
    // Part of the hashed text, so that changing how the text is built changes every hash
    // instead of letting an old image be reused for a new recipe by accident.
    private const string RecipeVersion = "berth-environment-image/1";

    /// <summary>A lowercase hex SHA-256 over the base image id, packages and setup script.</summary>
    public static string Compute(string baseImageId, EnvironmentConfig config)
    {
        ArgumentNullException.ThrowIfNull(baseImageId);
        ArgumentNullException.ThrowIfNull(config);

        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        AppendField(hash, "recipe", RecipeVersion);
        AppendField(hash, "base_image", baseImageId);

        foreach (var manager in PackageManagerNames.All)
        {
            var packages = Canonical(config.EffectivePackages.EffectiveFor(manager));
            var count = packages.Count.ToString(CultureInfo.InvariantCulture);
            AppendField(hash, PackageManagerNames.ToWire(manager), count);
            foreach (var package in packages)
            {
                AppendField(hash, "package", package);
            }
        }

        AppendField(hash, "setup_script", config.EffectiveSetupScript);

        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    private static List<string> Canonical(IReadOnlyList<string> packages) =>
        [.. packages
            .Select(package => package.Trim())
            .Where(package => package.Length > 0)
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)];

    // Every value is length-prefixed, so no script or spec can imitate the boundary between fields.
    private static void AppendField(IncrementalHash hash, string name, string value)
    {
        var bytes = Encoding.UTF8.GetBytes(value);
        var header = string.Create(CultureInfo.InvariantCulture, $"{name} {bytes.Length}\n");
        hash.AppendData(Encoding.UTF8.GetBytes(header));
        hash.AppendData(bytes);
        hash.AppendData("\n"u8);
    }
}
