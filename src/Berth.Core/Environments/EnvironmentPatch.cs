namespace Berth.Core.Environments;

/// <summary>A validated update to an environment; null members keep the stored value.</summary>
/// <param name="Name">The new name, or null to keep it.</param>
/// <param name="Description">
/// The new description, or null to keep it. An explicit <c>"description": null</c> in the body
/// clears the description, so it arrives here as <c>""</c>.
/// </param>
/// <param name="Config">Changes to the config, or null to keep it.</param>
/// <param name="Metadata">
/// Entries to set, or null to keep all. A null value deletes its key; the body's <c>null</c>
/// and <c>""</c> both arrive as null.
/// </param>
public sealed record EnvironmentPatch(
    string? Name,
    string? Description,
    ConfigPatch? Config,
    IReadOnlyDictionary<string, string?>? Metadata);
