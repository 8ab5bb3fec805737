using Berth.Runtime.Sandboxes;
using Berth.Storage;
using Microsoft.Extensions.Options;

namespace Berth.Api.Sessions;

/// <summary>
/// Matches sandboxes with the store when the server starts, so that no container is orphaned
/// and no session is silently forgotten, then ends sessions that stay idle past their deadline.
/// </summary>
public sealed partial class SessionSupervisor(
    SessionStore sessions,
    SessionLifecycle lifecycle,
    LiveSessions live,
    SandboxRuntime sandboxes,
    RuntimeStatus runtime,
    IOptions<SessionSettings> options,
    TimeProvider time,
    ILogger<SessionSupervisor> logger) : BackgroundService
{
    /// <summary>Completes once the sessions of the store have been matched with their sandboxes.</summary>
    public Task Reconciled => _reconciled.Task;

    private readonly TaskCompletionSource _reconciled = new(TaskCreationOptions.RunContinuationsAsynchronously);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await ReconcileWhenRuntimeAnswersAsync(stoppingToken);
            using var timer = new PeriodicTimer(options.Value.IdleCheckInterval, time);
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                await EndIdleSessionsAsync();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task ReconcileWhenRuntimeAnswersAsync(CancellationToken stoppingToken)
    {
        while (true)
        {
            if (await runtime.IsAvailableAsync(stoppingToken) && await sandboxes.ListAsync(stoppingToken) is { } found)
            {
                await ReconcileAsync(found, stoppingToken);
                _reconciled.TrySetResult();
                return;
            }

            await Task.Delay(TimeSpan.FromSeconds(2), time, stoppingToken);
        }
    }

    private async Task ReconcileAsync(IReadOnlyList<SandboxInfo> found, CancellationToken cancellationToken)
    {
        var containers = found.Where(s => !s.Pooled).ToDictionary(s => s.ContainerId, StringComparer.Ordinal);
        var claimed = new HashSet<string>(StringComparer.Ordinal);
        foreach (var session in await sessions.ListLiveAsync(cancellationToken))
        {
            if (live.Find(session.Id) is not null)
            {
                claimed.Add(live.Find(session.Id)!.ContainerId ?? "");
                continue;
            }

            if (session.Status == SessionStatus.Provisioning)
            {
                // A sandbox half-started by the previous server would block the new start.
                foreach (var leftover in found.Where(s => s.SessionId == session.Id))
                {
                    await sandboxes.RemoveAsync(leftover.ContainerId, cancellationToken);
                    containers.Remove(leftover.ContainerId);
                }

                await lifecycle.ResumeProvisioningAsync(session);
                continue;
            }

            if (session.ContainerId is { } id && containers.TryGetValue(id, out var sandbox) && sandbox.Running)
            {
                claimed.Add(id);
                await lifecycle.AdoptAsync(session);
                continue;
            }

            LogSandboxLost(logger, session.Id);
            await lifecycle.FailAsync(lifecycle.Track(session), SessionLifecycle.Error(
                "The sandbox of this session was gone when the server restarted."));
        }

        foreach (var orphan in containers.Keys.Where(id => !claimed.Contains(id) && live.All.All(s => s.ContainerId != id)))
        {
            LogOrphanRemoved(logger, orphan);
            await sandboxes.RemoveAsync(orphan, cancellationToken);
        }
    }

    private async Task EndIdleSessionsAsync()
    {
        var now = time.GetUtcNow();
        foreach (var session in live.All.Where(s => s.ActiveExecs == 0 && s.ExpiresAt <= now && s.ContainerId is not null).ToList())
        {
            var stored = await sessions.GetAsync(session.Id, CancellationToken.None);
            if (stored is null || stored.ExpiresAt > now)
            {
                continue;
            }

            await lifecycle.TerminateAsync(stored, "idle_timeout");
        }
    }

    [LoggerMessage(EventId = 4100, Level = LogLevel.Warning, Message = "Session {SessionId} lost its sandbox while the server was down; it is marked failed")]
    private static partial void LogSandboxLost(ILogger logger, string sessionId);

    [LoggerMessage(EventId = 4101, Level = LogLevel.Information, Message = "Removed orphaned sandbox {ContainerId}")]
    private static partial void LogOrphanRemoved(ILogger logger, string containerId);
}
