namespace Berth.Runtime;

/// <summary>
/// Labels on everything Berth creates in the container runtime, so that garbage collection and
/// restart reconciliation can find what belongs to which Berth instance.
/// </summary>
internal static class BerthLabels
{
    public const string Instance = "berth.instance";
    public const string Kind = "berth.kind";
    public const string ConfigHash = "berth.config-hash";
    public const string BaseRecipe = "berth.base-recipe";

    public const string EnvironmentImageKind = "environment-image";
    public const string ImageBuildKind = "image-build";
    public const string BaseImageKind = "base-image";

    public static Dictionary<string, string> For(string instance, string kind) => new()
    {
        [Instance] = instance,
        [Kind] = kind,
    };

    public static Dictionary<string, string> For(string instance, string kind, string configHash) => new()
    {
        [Instance] = instance,
        [Kind] = kind,
        [ConfigHash] = configHash,
    };
}
