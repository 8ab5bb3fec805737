namespace Berth.Core.Environments;

/// <summary>The size limits of the environments API, as documented in its contract.</summary>
/// <remarks>Lengths in characters count Unicode characters, not UTF-16 code units.</remarks>
public static class EnvironmentLimits
{
    public const int NameMaxLength = 256;
    public const int DescriptionMaxLength = 2048;
    public const int MetadataMaxKeys = 16;
    public const int MetadataKeyMaxLength = 64;
    public const int MetadataValueMaxLength = 512;
    public const int SetupScriptMaxBytes = 65_536;
    public const int HostPatternsMaxCount = 256;
    public const int HostPatternMaxLength = 253;
    public const int PackagesPerManagerMaxCount = 256;
    public const int PackageSpecMaxLength = 214;
}
