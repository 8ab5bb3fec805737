namespace Berth.Core.Ids;

/// <summary>The prefixes of Berth's resource identifiers.</summary>
public static class IdPrefixes
{
    public const string Environment = "env";
    public const string Session = "sess";
    public const string Event = "evt";
    public const string Exec = "exec";
    public const string Token = "tok";

    /// <summary>Whether <paramref name="id"/> is a prefix, an underscore and 32 lowercase hex digits.</summary>
    public static bool IsWellFormed(string id, string prefix) =>
        id.Length == prefix.Length + 33
        && id.StartsWith(prefix, StringComparison.Ordinal)
        && id[prefix.Length] == '_'
        && !id.AsSpan(prefix.Length + 1).ContainsAnyExcept(LowerHex);

    private static readonly System.Buffers.SearchValues<char> LowerHex =
        System.Buffers.SearchValues.Create("0123456789abcdef");
}
