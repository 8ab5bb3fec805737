using Berth.Api.Http;
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
    RawJson Metadata,
    string? Agent,
    string ConfigHash,
    RawJson? Error,
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
            new RawJson(session.MetadataJson),
            session.Agent,
            session.ConfigHash,
            session.ErrorJson is null ? null : new RawJson(session.ErrorJson),
            Timestamps.Format6(session.ExpiresAt),
            Timestamps.Format6(session.CreatedAt),
            Timestamps.Format6(session.UpdatedAt),
            session.TerminatedAt is { } terminated ? Timestamps.Format6(terminated) : null);
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
public sealed record EventResponse(string Id, string Type, string SessionId, RawJson Data, string CreatedAt)
{
    public static EventResponse From(StoredEvent entry)
    {
        ArgumentNullException.ThrowIfNull(entry);

        return new EventResponse(entry.Id, entry.Type, entry.SessionId, new RawJson(entry.DataJson), Timestamps.Format6(entry.CreatedAt));
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
