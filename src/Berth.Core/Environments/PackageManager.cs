namespace Berth.Core.Environments;

/// <summary>A package manager whose packages an environment's image installs.</summary>
public enum PackageManager
{
    Apt,
    Pip,
    Npm,
}
