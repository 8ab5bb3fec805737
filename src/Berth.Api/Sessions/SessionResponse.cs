using System.Text.Json;
using Berth.Core;
using Berth.Storage;

namespace Berth.Api.Sessions;

/// <summary>A session as the API returns it.</summary>
public sealed record SessionResponse(
    string Id,
    string Type,
    string EnvironmentId,
    string Status,
    string? Title,
    JsonElement Metadata,
    string? Agent,
    string ConfigHash,
    JsonElement? Error,
    string ExpiresAt,
    string CreatedAt,
    string UpdatedAt,
    string? TerminatedAt)
{
    public static SessionResponse From(StoredSession session)
    {
        ArgumentNullException.ThrowIfNull(session);

        return new SessionResponse(
            session.Id,
            "session",
            session.EnvironmentId,
            session.Status,
            session.Title,
            Parse(session.MetadataJson)!.Value,
            session.Agent,
            session.ConfigHash,
            session.ErrorJson is null ? null : Parse(session.ErrorJson),
            Timestamps.Format6(session.ExpiresAt),
            Timestamps.Format6(session.CreatedAt),
            Timestamps.Format6(session.UpdatedAt),
            session.TerminatedAt is { } terminated ? Timestamps.Format6(terminated) : null);
    }

    private static JsonElement? Parse(string json)
    {
        using var document = JsonDocument.Parse(json);

        return document.RootElement.Clone();
    }
}

/// <summary>The answer to a deleted session.</summary>
public sealed record SessionDeleted(string Id, string Type, bool Deleted);

/// <summary>How a command ended, as the API returns it.</summary>
public sealed record ExecResponse(
    string Id,
    int ExitCode,
    string Stdout,
    string Stderr,
    bool TimedOut,
    long DurationMs,
    bool StdoutTruncated,
    bool StderrTruncated);

/// <summary>One event of a session, as the API returns it.</summary>
public sealed record EventResponse(string Id, string Type, string SessionId, JsonElement Data, string CreatedAt)
{
    public static EventResponse From(StoredEvent entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        using var document = JsonDocument.Parse(entry.DataJson);

        return new EventResponse(entry.Id, entry.Type, entry.SessionId, document.RootElement.Clone(), Timestamps.Format6(entry.CreatedAt));
    }
}

/// <summary>A file written into a sandbox.</summary>
public sealed record FileWritten(string Path, long Size, string Sha256);

/// <summary>A directory of a sandbox.</summary>
public sealed record DirectoryListing(string Path, IReadOnlyList<DirectoryEntry> Entries);

/// <summary>One entry of a directory listing.</summary>
public sealed record DirectoryEntry(string Name, string Type, long Size, string ModifiedAt);

/// <summary>One piece of streamed command output.</summary>
public sealed record OutputChunk(string Data);
