namespace Berth.Core.Environments;

/// <summary>The client-controlled fields of an environment, validated and ready to store.</summary>
/// <param name="Name">As sent, not trimmed.</param>
/// <param name="Description">Empty when not sent.</param>
/// <param name="Config">The config as accepted.</param>
/// <param name="Metadata">At most 16 entries, in the order they were sent; never holds empty values.</param>
public sealed record EnvironmentDraft(
    string Name,
    string Description,
    EnvironmentConfig Config,
    IReadOnlyDictionary<string, string> Metadata);
