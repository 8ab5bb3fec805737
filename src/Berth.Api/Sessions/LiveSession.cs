using System.Collections.Concurrent;
using Berth.Runtime.Sandboxes;

namespace Berth.Api.Sessions;

/// <summary>What the server keeps in memory about a session that has, or is getting, a sandbox.</summary>
public sealed class LiveSession(
    string id,
    string environmentId,
    string configHash,
    int timeoutSeconds,
    IReadOnlyDictionary<string, string> variables,
    SandboxLimits limits,
    DateTimeOffset expiresAt) : IDisposable
{
    private readonly TaskCompletionSource<string?> _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public string Id => id;

    public string EnvironmentId => environmentId;

    public string ConfigHash => configHash;

    public TimeSpan Timeout => TimeSpan.FromSeconds(timeoutSeconds);

    /// <summary>The session's variables; every command sees them.</summary>
    public IReadOnlyDictionary<string, string> Variables => variables;

    public SandboxLimits Limits => limits;

    /// <summary>Serialises the session's status changes, so that events come out in the order they happened.</summary>
    public SemaphoreSlim Gate { get; } = new(1, 1);

    /// <summary>Cancelled when the session ends: provisioning stops and running commands are killed.</summary>
    public CancellationTokenSource Lifetime { get; } = new();

    public string? ContainerId { get; private set; }

    public int ActiveExecs { get; set; }

    public DateTimeOffset ExpiresAt { get; set; } = expiresAt;

    /// <summary>Completes with the container id once the sandbox runs, or null if it never will.</summary>
    public Task<string?> Ready => _ready.Task;

    public void MarkReady(string containerId)
    {
        ContainerId = containerId;
        _ready.TrySetResult(containerId);
    }

    public void MarkGone() => _ready.TrySetResult(null);

    public void Dispose()
    {
        Gate.Dispose();
        Lifetime.Dispose();
    }
}

/// <summary>The live sessions of this server, by id.</summary>
public sealed class LiveSessions
{
    private readonly ConcurrentDictionary<string, LiveSession> _sessions = new(StringComparer.Ordinal);

    public IEnumerable<LiveSession> All => _sessions.Values;

    public LiveSession? Find(string id) => _sessions.GetValueOrDefault(id);

    public void Add(LiveSession session) => _sessions[session?.Id ?? throw new ArgumentNullException(nameof(session))] = session;

    public LiveSession? Remove(string id) => _sessions.TryRemove(id, out var session) ? session : null;
}
