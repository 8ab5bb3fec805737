namespace Berth.Runtime.Docker;

/// <summary>Builds the Engine API's <c>filters</c> argument that selects by labels.</summary>
internal static class LabelFilters
{
    public static Dictionary<string, IDictionary<string, bool>> From(IReadOnlyDictionary<string, string> labels)
    {
        var values = labels.ToDictionary(l => $"{l.Key}={l.Value}", _ => true);

        return new Dictionary<string, IDictionary<string, bool>> { ["label"] = values };
    }
}
