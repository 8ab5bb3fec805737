namespace Berth.Core.Environments;

/// <summary>The wire spellings of <see cref="NetworkingType"/>.</summary>
public static class NetworkingTypeNames
{
    public const string Unrestricted = "unrestricted";
    public const string Limited = "limited";
    public const string AllowedHosts = "allowed_hosts";

    /// <summary>An older spelling that clients still send; it is stored as <see cref="AllowedHosts"/>.</summary>
    public const string Allowlist = "allowlist";

    public static string ToWire(NetworkingType type) => type switch
    {
        NetworkingType.Unrestricted => Unrestricted,
        NetworkingType.Limited => Limited,
        NetworkingType.AllowedHosts => AllowedHosts,
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "Unknown networking type."),
    };

    /// <summary>Parses a wire spelling exactly (case-sensitive), accepting the synonym.</summary>
    public static bool TryParse(string text, out NetworkingType type)
    {
        (var known, type) = text switch
        {
            Unrestricted => (true, NetworkingType.Unrestricted),
            Limited => (true, NetworkingType.Limited),
            AllowedHosts or Allowlist => (true, NetworkingType.AllowedHosts),
            _ => (false, default),
        };

        return known;
    }
}
