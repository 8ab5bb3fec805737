using System.Text.Json;
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
    JsonElement Config,
    JsonElement Metadata,
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
            Parse(environment.ConfigJson),
            Parse(environment.MetadataJson),
            environment.IsArchived,
            environment.ArchivedAt is { } archivedAt ? Timestamps.Format6(archivedAt) : null,
            Timestamps.Format6(environment.CreatedAt),
            Timestamps.Format6(environment.UpdatedAt));
    }

    private static JsonElement Parse(string json)
    {
        using var document = JsonDocument.Parse(json);

        return document.RootElement.Clone();
    }
}

/// <summary>The answer to a deleted environment.</summary>
public sealed record EnvironmentDeleted(string Id, string Type, bool Deleted);
