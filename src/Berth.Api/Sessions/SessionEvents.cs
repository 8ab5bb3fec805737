using System.Collections.Concurrent;
using System.Text.Json;
using Berth.Core;
using Berth.Core.Ids;
using Berth.Storage;

namespace Berth.Api.Sessions;

/// <summary>The event types a session records.</summary>
public static class SessionEventTypes
{
    public const string StatusChanged = "session.status_changed";
    public const string ExecStarted = "exec.started";
    public const string ExecFinished = "exec.finished";
    public const string EgressAllowed = "egress.allowed";
    public const string EgressDenied = "egress.denied";
}

/// <summary>Makes session events and tells live streams that new ones were stored.</summary>
public sealed class SessionEvents(SessionStore sessions, TimeProvider time)
{
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _signals = new(StringComparer.Ordinal);

    public StoredEvent Make<T>(string sessionId, string type, T data, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> typeInfo) =>
        new(IdGenerator.Shared.Next(IdPrefixes.Event), sessionId, type, JsonSerializer.Serialize(data, typeInfo),
            Timestamps.TruncateToMicroseconds(time.GetUtcNow()));

    public StoredEvent StatusChanged(string sessionId, string status, string? reason = null) =>
        Make(sessionId, SessionEventTypes.StatusChanged, new StatusChange(status, reason), SessionJsonContext.Default.StatusChange);

    public async Task AppendAsync(IReadOnlyList<StoredEvent> events, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(events);
        await sessions.AppendEventsAsync(events, cancellationToken);
        foreach (var sessionId in events.Select(e => e.SessionId).Distinct())
        {
            Notify(sessionId);
        }
    }

    /// <summary>Wakes the streams of a session after its events were written by someone else.</summary>
    public void Notify(string sessionId)
    {
        if (_signals.TryRemove(sessionId, out var signal))
        {
            signal.TrySetResult();
        }
    }

    /// <summary>A task that completes when the session next gets an event.</summary>
    public Task NextAsync(string sessionId) =>
        _signals.GetOrAdd(sessionId, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;
}

/// <summary>The data of a <c>session.status_changed</c> event.</summary>
public sealed record StatusChange(
    string Status,
    [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)] string? Reason);

/// <summary>The data of an <c>exec.started</c> event; the command, never its environment.</summary>
public sealed record ExecStarted(string ExecId, string Command);

/// <summary>The data of an <c>exec.finished</c> event.</summary>
public sealed record ExecFinished(string ExecId, int ExitCode, bool TimedOut, long DurationMs);

/// <summary>Why a session failed, in the shape of a build error.</summary>
public sealed record SessionError(
    string Type,
    string Message,
    [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)] string? Step,
    [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)] int? ExitCode);

[System.Text.Json.Serialization.JsonSourceGenerationOptions(PropertyNamingPolicy = System.Text.Json.Serialization.JsonKnownNamingPolicy.SnakeCaseLower)]
[System.Text.Json.Serialization.JsonSerializable(typeof(StatusChange))]
[System.Text.Json.Serialization.JsonSerializable(typeof(ExecStarted))]
[System.Text.Json.Serialization.JsonSerializable(typeof(ExecFinished))]
[System.Text.Json.Serialization.JsonSerializable(typeof(SessionError))]
[System.Text.Json.Serialization.JsonSerializable(typeof(EgressEventData))]
[System.Text.Json.Serialization.JsonSerializable(typeof(Dictionary<string, string>))]
[System.Text.Json.Serialization.JsonSerializable(typeof(Core.Sessions.SessionResources))]
internal sealed partial class SessionJsonContext : System.Text.Json.Serialization.JsonSerializerContext;
