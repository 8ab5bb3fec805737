using Berth.Api.Http;
using Berth.Core;
using Berth.Storage;

namespace Berth.Api.Environments;

/// <summary>An environment as the API returns it.</summary>
public sealed record EnvironmentResponse(
    string Id,
    string Type,
    string Name,
    string Description,
    string Status,
    RawJson Config,
    RawJson Metadata,
    bool Archived,
    string? ArchivedAt,
    string CreatedAt,
    string UpdatedAt)
{
    public static EnvironmentResponse From(StoredEnvironment environment)
    {
        ArgumentNullException.ThrowIfNull(environment);

        return new EnvironmentResponse(
            environment.Id,
            "environment",
            environment.Name,
            environment.Description,
            environment.IsArchived ? "archived" : "ready",
            new RawJson(environment.ConfigJson),
            new RawJson(environment.MetadataJson),
            environment.IsArchived,
            environment.ArchivedAt is { } archivedAt ? Timestamps.Format6(archivedAt) : null,
            Timestamps.Format6(environment.CreatedAt),
            Timestamps.Format6(environment.UpdatedAt));
    }
}

/// <summary>The answer to a deleted environment.</summary>
public sealed record EnvironmentDeleted(string Id, string Type, bool Deleted);
