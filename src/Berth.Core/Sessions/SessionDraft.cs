namespace Berth.Core.Sessions;

/// <summary>A validated request to start a session.</summary>
public sealed record SessionDraft(
    string EnvironmentId,
    string? Title,
    IReadOnlyDictionary<string, string> Metadata,
    string? Agent,
    IReadOnlyDictionary<string, string> EnvironmentVariables,
    int TimeoutSeconds,
    SessionResources? Resources);

/// <summary>Limits a session asks for instead of the server's defaults; each within the operator's maximum.</summary>
public sealed record SessionResources(long? MemoryMb, double? Cpus, long? Pids);

/// <summary>The limits of session requests.</summary>
public static class SessionLimits
{
    public const int DefaultTimeoutSeconds = 3_600;
    public const int MaxTimeoutSeconds = 86_400;
    public const int TitleMaxLength = 256;
    public const int AgentMaxLength = 65_536;
    public const int MaxEnvironmentVariables = 256;
    public const int EnvironmentValueMaxLength = 32_768;
}
