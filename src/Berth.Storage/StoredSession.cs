namespace Berth.Storage;

/// <summary>A session row: the configuration it pinned at creation and where its sandbox is.</summary>
public sealed record StoredSession(
    string Id,
    string Account,
    string EnvironmentId,
    int EnvironmentVersion,
    string ConfigJson,
    string ConfigHash,
    string Status,
    string? Title,
    string MetadataJson,
    string? Agent,
    string EnvironmentVariablesJson,
    string? ResourcesJson,
    int TimeoutSeconds,
    string? ContainerId,
    string? ErrorJson,
    DateTimeOffset ExpiresAt,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    DateTimeOffset? TerminatedAt)
{
    /// <summary>Whether the session is over: it has, or will never again have, a sandbox.</summary>
    public bool IsEnded => Status is SessionStatus.Terminated or SessionStatus.Failed;
}

/// <summary>The states of a session.</summary>
public static class SessionStatus
{
    public const string Provisioning = "provisioning";
    public const string Idle = "idle";
    public const string Running = "running";
    public const string Terminated = "terminated";
    public const string Failed = "failed";
}

/// <summary>One entry of a session's event log.</summary>
public sealed record StoredEvent(string Id, string SessionId, string Type, string DataJson, DateTimeOffset CreatedAt);
