namespace Berth.Storage;

/// <summary>An environment row: its configuration and metadata kept as the JSON text the API accepted.</summary>
public sealed record StoredEnvironment(
    string Id,
    string Account,
    string Name,
    string Description,
    string ConfigJson,
    string MetadataJson,
    int Version,
    DateTimeOffset? ArchivedAt,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt)
{
    public bool IsArchived => ArchivedAt is not null;
}
