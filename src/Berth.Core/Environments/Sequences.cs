namespace Berth.Core.Environments;

/// <summary>Value equality for the string lists inside config records.</summary>
/// <remarks>
/// Records compare list members by reference, which would make two identical configs
/// unequal. Config records override equality with these so that comparing a stored config
/// with an updated one tells whether anything changed.
/// </remarks>
internal static class Sequences
{
    public static bool Equal(IReadOnlyList<string>? left, IReadOnlyList<string>? right)
    {
        if (left is null || right is null)
        {
            return left is null && right is null;
        }

        return left.SequenceEqual(right, StringComparer.Ordinal);
    }

    public static int Hash(IReadOnlyList<string>? list)
    {
        if (list is null)
        {
            return 0;
        }

        var hash = new HashCode();
        foreach (var item in list)
        {
            hash.Add(item, StringComparer.Ordinal);
        }

        return hash.ToHashCode();
    }
}
