using System.Text.Json;
using Berth.Api.Auth;
using Berth.Api.Builds;
using Berth.Core;
using Berth.Core.Environments;
using Berth.Core.Ids;
using Berth.Core.Sessions;
using Berth.Core.Validation;
using Berth.Runtime.Egress;
using Berth.Runtime.Sandboxes;
using Berth.Storage;
using Microsoft.Extensions.Options;

namespace Berth.Api.Sessions;

/// <summary>
/// Starts sessions, moves them between states and ends them. Every state change is written
/// with its <c>session.status_changed</c> event in one transaction.
/// </summary>
public sealed partial class SessionLifecycle(
    SessionStore sessions,
    EnvironmentStore environments,
    BuildStore buildStore,
    BuildCoordinator builds,
    SandboxRuntime sandboxes,
    EgressGateway egress,
    LiveSessions live,
    SessionEvents events,
    IOptions<SandboxOptions> sandboxOptions,
    TimeProvider time,
    ILogger<SessionLifecycle> logger)
{
    // A create whose image is already built waits this long for its sandbox, so that the answer
    // is usually `idle`; anything slower (a burst of creates queueing at the engine) goes on in
    // the background and the client sees `provisioning`, well within its own request timeout.
    private static readonly TimeSpan InlineStartWait = TimeSpan.FromSeconds(10);

    public async Task<Mutation<StoredSession>> CreateAsync(Caller caller, SessionDraft draft, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(draft);
        var environment = await environments.GetAsync(caller.Account, draft.EnvironmentId, cancellationToken);
        if (environment is null)
        {
            return Mutation<StoredSession>.NotFound();
        }

        if (environment.IsArchived)
        {
            return Mutation<StoredSession>.Invalid(new ValidationError("environment_id",
                $"Environment {environment.Id} is archived; new sessions cannot start from it."));
        }

        var limits = ResolveLimits(draft.Resources);
        if (!limits.IsValid)
        {
            return Mutation<StoredSession>.Invalid(limits.Error);
        }

        var config = EnvironmentConfig.FromJson(environment.ConfigJson);
        var session = NewSession(caller, draft, environment, builds.HashOf(config));
        await sessions.InsertAsync(session, events.StatusChanged(session.Id, session.Status), cancellationToken);
        events.Notify(session.Id);
        var tracked = new LiveSession(session.Id, environment.Id, session.ConfigHash, draft.TimeoutSeconds,
            draft.EnvironmentVariables, limits.Value, session.ExpiresAt);
        live.Add(tracked);
        var provisioning = ProvisionAsync(tracked, config);
        if ((await buildStore.GetAsync(session.ConfigHash, cancellationToken))?.Status == BuildStatus.Ready)
        {
            await Task.WhenAny(provisioning, Task.Delay(InlineStartWait, time, cancellationToken));
        }

        return Mutation<StoredSession>.Done((await sessions.GetAsync(session.Id, cancellationToken))!);
    }

    /// <summary>Builds the image if needed and starts the sandbox; the session ends idle or failed.</summary>
    public async Task ProvisionAsync(LiveSession session, EnvironmentConfig config)
    {
        var lifetime = session.Lifetime.Token;
        try
        {
            var build = await builds.EnsureForSessionAsync(config, lifetime);
            if (build is not { Status: BuildStatus.Ready, Image: not null })
            {
                await FailAsync(session, build?.ErrorJson ?? Error("The environment's image could not be built."));
                return;
            }

            await StartSandboxAsync(session, build.Image, config.EffectiveNetworking, lifetime);
        }
        catch (OperationCanceledException) when (lifetime.IsCancellationRequested)
        {
            // Terminated while provisioning; terminate removed what there was.
        }
        catch (Exception error)
        {
            LogProvisioningCrashed(logger, session.Id, error);
            await FailAsync(session, Error("The sandbox could not be started; see the server log."));
        }
    }

    private async Task StartSandboxAsync(
        LiveSession session, string image, NetworkingConfig networking, CancellationToken lifetime)
    {
        // Every sandbox, unrestricted ones too, starts on a network whose only way out is the
        // gateway; without the gateway nothing would confine it, so it does not start at all.
        var placement = await egress.EnsureNetworkAsync(networking, lifetime);
        if (placement is not EgressNetworkReady network)
        {
            var reason = (placement as EgressUnavailable)?.Reason ?? "it did not start";
            await FailAsync(session, Error($"No sandbox was started: the egress gateway is not available ({reason})."));
            return;
        }

        var spec = new SandboxSpec(session.Id, session.EnvironmentId, session.ConfigHash, image, session.Limits)
        {
            NetworkName = network.NetworkName,
            DnsServers = network.DnsServers,
            TrustedCertificate = network.TrustedCertificate,
        };
        // Not cancelled by a terminate: a create the engine had already received would still make
        // a container that nobody knows of. The steps below remove it when the session has ended.
        var started = await sandboxes.StartAsync(spec, CancellationToken.None);

        switch (started)
        {
            case SandboxStarted sandbox when !await egress.RegisterAsync(session.Id, sandbox.ContainerId, networking, CancellationToken.None):
                session.MarkReady(sandbox.ContainerId);
                await FailAsync(session, Error("The sandbox started but is not on its network, so the egress gateway cannot serve it."));
                break;
            case SandboxStarted sandbox:
                await BecomeIdleAsync(session, sandbox.ContainerId);
                break;
            case SandboxStartFailed failed:
                await FailAsync(session, Error(failed.Message));
                break;
            case SandboxRuntimeUnavailable unavailable:
                await FailAsync(session, Error($"No sandbox runtime is available: {unavailable.Reason}"));
                break;
        }
    }

    private async Task BecomeIdleAsync(LiveSession session, string containerId)
    {
        var updated = await sessions.UpdateAsync(session.Id, current => current.Status == SessionStatus.Provisioning
            ? (current with { Status = SessionStatus.Idle, ContainerId = containerId, UpdatedAt = Now() },
                [events.StatusChanged(session.Id, SessionStatus.Idle)])
            : null, CancellationToken.None);
        if (updated is not { Status: SessionStatus.Idle } || updated.ContainerId != containerId)
        {
            // Terminated while the sandbox was starting: it belongs to nobody.
            await sandboxes.RemoveAsync(containerId, CancellationToken.None);
            session.MarkGone();
            return;
        }

        events.Notify(session.Id);
        session.MarkReady(containerId);
    }

    /// <summary>Ends the session as failed, with an error shaped like a build error.</summary>
    public async Task FailAsync(LiveSession session, string errorJson)
    {
        ArgumentNullException.ThrowIfNull(session);
        live.Remove(session.Id);
        egress.Unregister(session.Id);
        session.MarkGone();
        await sessions.UpdateAsync(session.Id, current => current.IsEnded
            ? null
            : (current with { Status = SessionStatus.Failed, ErrorJson = errorJson, UpdatedAt = Now() },
                [events.StatusChanged(session.Id, SessionStatus.Failed)]), CancellationToken.None);
        events.Notify(session.Id);
        if (session.ContainerId is { } container)
        {
            await sandboxes.RemoveAsync(container, CancellationToken.None);
        }
    }

    /// <summary>Ends the session in whatever state it is; ending an ended session changes nothing.</summary>
    public async Task<StoredSession?> TerminateAsync(Caller caller, string id, string reason, CancellationToken cancellationToken)
    {
        var session = await sessions.GetAsync(id, cancellationToken);
        if (session is null || (caller is not null && session.Account != caller.Account))
        {
            return null;
        }

        return await TerminateAsync(session, reason);
    }

    public async Task<StoredSession> TerminateAsync(StoredSession session, string reason)
    {
        ArgumentNullException.ThrowIfNull(session);
        var tracked = live.Remove(session.Id);
        tracked?.Lifetime.Cancel();
        tracked?.MarkGone();
        egress.Unregister(session.Id);
        var now = Now();
        var ended = await sessions.UpdateAsync(session.Id, current => current.Status == SessionStatus.Terminated
            ? null
            : (current with { Status = SessionStatus.Terminated, TerminatedAt = now, UpdatedAt = now },
                [events.StatusChanged(session.Id, SessionStatus.Terminated, reason)]), CancellationToken.None);
        events.Notify(session.Id);
        var container = tracked?.ContainerId ?? session.ContainerId;
        if (container is not null)
        {
            await sandboxes.RemoveAsync(container, CancellationToken.None);
        }

        LogTerminated(logger, session.Id, reason);

        return ended ?? session;
    }

    public async Task<bool> DeleteAsync(Caller caller, string id, CancellationToken cancellationToken)
    {
        var session = await TerminateAsync(caller, id, "deleted", cancellationToken);

        return session is not null && await sessions.DeleteAsync(id, cancellationToken);
    }

    /// <summary>Tracks a stored session in memory again, as it was before the server restarted.</summary>
    public LiveSession Track(StoredSession session)
    {
        ArgumentNullException.ThrowIfNull(session);
        var variables = JsonSerializer.Deserialize(session.EnvironmentVariablesJson, SessionJsonContext.Default.DictionaryStringString) ?? [];
        var resources = session.ResourcesJson is null
            ? null
            : JsonSerializer.Deserialize(session.ResourcesJson, SessionJsonContext.Default.SessionResources);
        var limits = ResolveLimits(resources);
        var tracked = new LiveSession(session.Id, session.EnvironmentId, session.ConfigHash, session.TimeoutSeconds,
            variables, limits.IsValid ? limits.Value : sandboxOptions.Value.DefaultLimits, session.ExpiresAt);
        live.Add(tracked);

        return tracked;
    }

    /// <summary>Starts provisioning again for a session the previous server left provisioning.</summary>
    public Task ResumeProvisioningAsync(StoredSession session)
    {
        var tracked = Track(session);
        _ = ProvisionAsync(tracked, EnvironmentConfig.FromJson(session.ConfigJson));

        return Task.CompletedTask;
    }

    /// <summary>Takes over a session whose sandbox outlived the previous server; its commands did not.</summary>
    public async Task AdoptAsync(StoredSession session)
    {
        var tracked = Track(session);
        var networking = EnvironmentConfig.FromJson(session.ConfigJson).EffectiveNetworking;
        var rejoined = await egress.EnsureNetworkAsync(networking, CancellationToken.None) is EgressNetworkReady
            && await egress.RegisterAsync(session.Id, session.ContainerId!, networking, CancellationToken.None);
        tracked.MarkReady(session.ContainerId!);
        if (!rejoined)
        {
            await FailAsync(tracked, Error("After the restart the egress gateway could not take the sandbox back."));
            return;
        }

        await sessions.UpdateAsync(session.Id, current => current.Status == SessionStatus.Running
            ? (current with { Status = SessionStatus.Idle, UpdatedAt = Now() }, [events.StatusChanged(session.Id, SessionStatus.Idle, "server_restarted")])
            : null, CancellationToken.None);
        events.Notify(session.Id);
    }

    /// <summary>Pushes the idle deadline forward after activity; it never moves back.</summary>
    public async Task TouchAsync(LiveSession session, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(session);
        var next = Now() + session.Timeout;

        // Writing on every call would cost a transaction per command; a second of slack is invisible.
        if (next - session.ExpiresAt < TimeSpan.FromSeconds(1))
        {
            return;
        }

        session.ExpiresAt = next;
        await sessions.UpdateAsync(session.Id, current => current.IsEnded || current.ExpiresAt >= next
            ? null
            : (current with { ExpiresAt = next, UpdatedAt = Now() }, []), cancellationToken);
    }

    /// <summary>Records a command's start; the first running command makes the session <c>running</c>.</summary>
    public async Task BeginExecAsync(LiveSession session, StoredEvent started, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(session);
        await session.Gate.WaitAsync(cancellationToken);
        try
        {
            session.ActiveExecs++;
            await sessions.UpdateAsync(session.Id, current => current.Status == SessionStatus.Idle
                ? (current with { Status = SessionStatus.Running, UpdatedAt = Now() },
                    [started, events.StatusChanged(session.Id, SessionStatus.Running)])
                : (current, [started]), CancellationToken.None);
        }
        finally
        {
            session.Gate.Release();
        }

        events.Notify(session.Id);
    }

    /// <summary>Records a command's end; the last one to end makes the session <c>idle</c> again.</summary>
    public async Task EndExecAsync(LiveSession session, StoredEvent finished)
    {
        ArgumentNullException.ThrowIfNull(session);
        await session.Gate.WaitAsync(CancellationToken.None);
        try
        {
            session.ActiveExecs--;
            var last = session.ActiveExecs == 0;
            await sessions.UpdateAsync(session.Id, current => last && current.Status == SessionStatus.Running
                ? (current with { Status = SessionStatus.Idle, UpdatedAt = Now() },
                    [finished, events.StatusChanged(session.Id, SessionStatus.Idle)])
                : (current, [finished]), CancellationToken.None);
        }
        finally
        {
            session.Gate.Release();
        }

        events.Notify(session.Id);
        await TouchAsync(session, CancellationToken.None);
    }

    private StoredSession NewSession(Caller caller, SessionDraft draft, StoredEnvironment environment, string configHash)
    {
        var now = Now();

        return new StoredSession(
            IdGenerator.Shared.Next(IdPrefixes.Session),
            caller.Account,
            environment.Id,
            environment.Version,
            environment.ConfigJson,
            configHash,
            SessionStatus.Provisioning,
            draft.Title,
            JsonSerializer.Serialize(draft.Metadata.ToDictionary(), SessionJsonContext.Default.DictionaryStringString),
            draft.Agent,
            JsonSerializer.Serialize(draft.EnvironmentVariables.ToDictionary(), SessionJsonContext.Default.DictionaryStringString),
            draft.Resources is null ? null : JsonSerializer.Serialize(draft.Resources, SessionJsonContext.Default.SessionResources),
            draft.TimeoutSeconds,
            ContainerId: null,
            ErrorJson: null,
            now + TimeSpan.FromSeconds(draft.TimeoutSeconds),
            now,
            now,
            TerminatedAt: null);
    }

    /// <summary>The server's default limits, with what the session asked for, within the operator's maxima.</summary>
    public Validated<SandboxLimits> ResolveLimits(SessionResources? resources)
    {
        var options = sandboxOptions.Value;
        var memory = resources?.MemoryMb is { } mb ? mb * 1024 * 1024 : options.DefaultMemoryBytes;
        var cpus = resources?.Cpus ?? options.DefaultCpus;
        var pids = resources?.Pids ?? options.DefaultPidsLimit;
        if (memory < 64L * 1024 * 1024 || memory > options.MaxMemoryBytes)
        {
            return new ValidationError("resources.memory_mb", $"resources.memory_mb must be from 64 to {options.MaxMemoryBytes / (1024 * 1024)}.");
        }

        if (cpus < 0.01 || cpus > options.MaxCpus)
        {
            return new ValidationError("resources.cpus", $"resources.cpus must be from 0.01 to {options.MaxCpus}.");
        }

        return pids < 16 || pids > options.MaxPidsLimit
            ? new ValidationError("resources.pids", $"resources.pids must be from 16 to {options.MaxPidsLimit}.")
            : new SandboxLimits(memory, cpus, pids);
    }

    public static string Error(string message, string? step = null, int? exitCode = null) =>
        JsonSerializer.Serialize(new SessionError("environment_configuration_error", message, step, exitCode), SessionJsonContext.Default.SessionError);

    private DateTimeOffset Now() => Timestamps.TruncateToMicroseconds(time.GetUtcNow());

    [LoggerMessage(EventId = 4000, Level = LogLevel.Error, Message = "Provisioning of session {SessionId} crashed")]
    private static partial void LogProvisioningCrashed(ILogger logger, string sessionId, Exception error);

    [LoggerMessage(EventId = 4001, Level = LogLevel.Information, Message = "Session {SessionId} terminated ({Reason})")]
    private static partial void LogTerminated(ILogger logger, string sessionId, string reason);
}
