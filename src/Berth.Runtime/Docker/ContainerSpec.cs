namespace Berth.Runtime.Docker;

/// <summary>What Berth sets on a container it creates.</summary>
internal sealed record ContainerSpec(
    string Image,
    IReadOnlyList<string> Entrypoint,
    IReadOnlyList<string> Env,
    string WorkingDir,
    IReadOnlyDictionary<string, string> Labels)
{
    public string? Name { get; init; }
}
