namespace Berth.Core.Environments;

/// <summary>The wire spellings of <see cref="PackageManager"/>, in the order images install them.</summary>
public static class PackageManagerNames
{
    public const string Apt = "apt";
    public const string Pip = "pip";
    public const string Npm = "npm";

    /// <summary>Every manager, in the order they are written, hashed and installed.</summary>
    public static IReadOnlyList<PackageManager> All { get; } =
        [PackageManager.Apt, PackageManager.Pip, PackageManager.Npm];

    /// <summary>The supported names for messages: "apt, pip, npm".</summary>
    public static string Supported { get; } = $"{Apt}, {Pip}, {Npm}";

    public static string ToWire(PackageManager manager) => manager switch
    {
        PackageManager.Apt => Apt,
        PackageManager.Pip => Pip,
        PackageManager.Npm => Npm,
        _ => throw new ArgumentOutOfRangeException(nameof(manager), manager, "Unknown package manager."),
    };

    public static bool TryParse(string text, out PackageManager manager)
    {
        (var known, manager) = text switch
        {
            Apt => (true, PackageManager.Apt),
            Pip => (true, PackageManager.Pip),
            Npm => (true, PackageManager.Npm),
            _ => (false, default),
        };

        return known;
    }
}
