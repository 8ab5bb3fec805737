using Berth.Storage.Sqlite;
using Microsoft.Data.Sqlite;

namespace Berth.Storage;

/// <summary>The state of one image build, shared by every environment with that configuration.</summary>
public sealed record StoredBuild(
    string ConfigHash,
    string Status,
    string? Image,
    DateTimeOffset? StartedAt,
    DateTimeOffset? FinishedAt,
    long? DurationMs,
    string? ErrorJson,
    string? LogTail,
    string ConfigJson,
    DateTimeOffset RequestedAt)
{
    public bool IsFinished => Status is BuildStatus.Ready or BuildStatus.Failed;
}

/// <summary>The states of a build.</summary>
public static class BuildStatus
{
    public const string Pending = "pending";
    public const string Building = "building";
    public const string Ready = "ready";
    public const string Failed = "failed";
}

/// <summary>Image builds by configuration hash, and which build each environment looks at.</summary>
public sealed class BuildStore(SqliteDatabase database)
{
    private const string Columns =
        "config_hash, status, image, started_at, finished_at, duration_ms, error, log_tail, config, requested_at";

    public Task<StoredBuild?> GetAsync(string configHash, CancellationToken cancellationToken) =>
        database.ReadAsync(async connection =>
        {
            var command = connection.Command($"SELECT {Columns} FROM image_builds WHERE config_hash = $hash")
                .With("$hash", configHash);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);

            return await reader.ReadAsync(cancellationToken) ? Read(reader) : null;
        }, cancellationToken);

    public Task SaveAsync(StoredBuild build, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(build);

        return database.WriteAsync(async connection =>
        {
            var upsert = connection.Command(
                $"""
                INSERT OR REPLACE INTO image_builds ({Columns})
                VALUES ($hash, $status, $image, $started, $finished, $duration, $error, $tail, $config, $requested)
                """)
                .With("$hash", build.ConfigHash).With("$status", build.Status).With("$image", build.Image)
                .With("$started", build.StartedAt).With("$finished", build.FinishedAt)
                .With("$duration", build.DurationMs).With("$error", build.ErrorJson)
                .With("$tail", build.LogTail).With("$config", build.ConfigJson).With("$requested", build.RequestedAt);
            return await upsert.ExecuteNonQueryAsync(cancellationToken);
        }, cancellationToken);
    }

    /// <summary>Builds left <c>pending</c> or <c>building</c>, for instance by a server that stopped mid-build.</summary>
    public Task<IReadOnlyList<StoredBuild>> ListUnfinishedAsync(CancellationToken cancellationToken) =>
        database.ReadAsync<IReadOnlyList<StoredBuild>>(async connection =>
        {
            var command = connection.Command(
                $"SELECT {Columns} FROM image_builds WHERE status IN ('pending', 'building') ORDER BY requested_at");
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            var builds = new List<StoredBuild>();
            while (await reader.ReadAsync(cancellationToken))
            {
                builds.Add(Read(reader));
            }

            return builds;
        }, cancellationToken);

    /// <summary>Records which build an environment's current configuration uses, and whether it found it cached.</summary>
    public Task LinkAsync(string environmentId, string configHash, string? cache, CancellationToken cancellationToken) =>
        database.WriteAsync(async connection =>
        {
            var upsert = connection.Command(
                """
                INSERT INTO environment_builds (environment_id, config_hash, cache) VALUES ($id, $hash, $cache)
                ON CONFLICT (environment_id) DO UPDATE SET config_hash = $hash, cache = $cache
                """)
                .With("$id", environmentId).With("$hash", configHash).With("$cache", cache);
            return await upsert.ExecuteNonQueryAsync(cancellationToken);
        }, cancellationToken);

    /// <summary>The build an environment last linked to, with the cache verdict it got.</summary>
    public Task<(string ConfigHash, string? Cache)?> GetLinkAsync(string environmentId, CancellationToken cancellationToken) =>
        database.ReadAsync<(string ConfigHash, string? Cache)?>(async connection =>
        {
            var command = connection.Command(
                "SELECT config_hash, cache FROM environment_builds WHERE environment_id = $id").With("$id", environmentId);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);

            return await reader.ReadAsync(cancellationToken) ? (reader.GetString(0), reader.ReadOptionalString(1)) : null;
        }, cancellationToken);

    /// <summary>Every configuration hash that an environment links to or a session that is not over runs.</summary>
    public Task<IReadOnlySet<string>> ListLinkedHashesAsync(CancellationToken cancellationToken) =>
        database.ReadAsync<IReadOnlySet<string>>(async connection =>
        {
            var command = connection.Command(
                """
                SELECT config_hash FROM environment_builds
                UNION SELECT config_hash FROM sessions WHERE status IN ('provisioning', 'idle', 'running')
                """);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            var hashes = new HashSet<string>(StringComparer.Ordinal);
            while (await reader.ReadAsync(cancellationToken))
            {
                hashes.Add(reader.GetString(0));
            }

            return hashes;
        }, cancellationToken);

    private static StoredBuild Read(SqliteDataReader reader) => new(
        reader.GetString(0), reader.GetString(1), reader.ReadOptionalString(2),
        reader.ReadOptionalTime(3), reader.ReadOptionalTime(4),
        reader.IsDBNull(5) ? null : reader.GetInt64(5),
        reader.ReadOptionalString(6), reader.ReadOptionalString(7), reader.GetString(8), reader.ReadTime(9));
}
