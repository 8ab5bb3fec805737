using System.Collections.Concurrent;
using Berth.Runtime.Docker;
using Berth.Runtime.Sandboxes.Agent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Berth.Runtime.Sandboxes;

/// <summary>Sandbox containers of this instance: made for a session or for the pool, handed over, listed, removed.</summary>
internal sealed class SandboxContainers(
    DockerContainerOperations containers,
    CommandAgents agents,
    IOptions<RuntimeOptions> runtimeOptions,
    IOptions<SandboxOptions> sandboxOptions,
    ILogger<SandboxContainers> logger)
{
    private static readonly TimeSpan CleanupTimeout = TimeSpan.FromSeconds(30);

    private readonly string _instance = runtimeOptions.Value.InstanceName;
    private readonly SandboxOptions _options = sandboxOptions.Value;

    // Containers the engine is starting, each with the end of its start. A container removed while
    // the engine is still starting it can leave its network endpoint behind, and its network can
    // then never be removed; a removal therefore waits for the start to end.
    private readonly ConcurrentDictionary<string, Task> _starting = new(StringComparer.Ordinal);

    public Task<string> StartForSessionAsync(SandboxSpec spec, CancellationToken cancellationToken)
    {
        var name = SandboxNames.ForSession(_instance, spec.SessionId);
        var labels = SandboxNames.LabelsForSession(_instance, spec);
        var container = SandboxIsolation.Container(SandboxTemplate.Of(spec), spec.Limits, name, labels, _options);

        return StartAsync(container, cancellationToken);
    }

    /// <summary>Starts a ready container, and its command agent, so that its first command starts at once.</summary>
    public async Task<string> StartForPoolAsync(SandboxTemplate template, string poolId, CancellationToken cancellationToken)
    {
        var name = SandboxNames.ForPool(_instance);
        var labels = SandboxNames.LabelsForPool(_instance, template.ConfigHash, poolId);
        var container = SandboxIsolation.Container(template, _options.DefaultLimits, name, labels, _options);
        var containerId = await StartAsync(container, cancellationToken).ConfigureAwait(false);
        try
        {
            await agents.EnsureAsync(containerId, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // The pool is stopping: a container it will not shelve must not be left behind.
            await RemoveQuietlyAsync(containerId).ConfigureAwait(false);
            throw;
        }

        return containerId;
    }

    /// <summary>Gives a pooled container to a session: its limits, then its name.</summary>
    public async Task AssignAsync(string containerId, SandboxSpec spec, CancellationToken cancellationToken)
    {
        var name = SandboxNames.ForSession(_instance, spec.SessionId);
        if (spec.Limits != _options.DefaultLimits)
        {
            await containers.UpdateLimitsAsync(containerId, SandboxIsolation.ToContainerLimits(spec.Limits),
                cancellationToken).ConfigureAwait(false);
        }

        await containers.RenameAsync(containerId, name, cancellationToken).ConfigureAwait(false);
    }

    public async Task<bool> IsRunningAsync(string containerId, CancellationToken cancellationToken)
    {
        var details = await containers.InspectAsync(containerId, cancellationToken).ConfigureAwait(false);

        return details is { Running: true };
    }

    public async Task<IReadOnlyList<SandboxInfo>> ListAsync(CancellationToken cancellationToken)
    {
        var found = await containers.ListAsync(SandboxNames.ForInstance(_instance), cancellationToken)
            .ConfigureAwait(false);

        return found.Select(ToInfo).ToList();
    }

    /// <summary>Pooled containers of this instance whose pool is not <paramref name="poolId"/>.</summary>
    public async Task<IReadOnlyList<string>> ListPooledOfOtherPoolsAsync(string poolId, CancellationToken cancellationToken)
    {
        var found = await containers.ListAsync(SandboxNames.ForInstance(_instance), cancellationToken)
            .ConfigureAwait(false);

        return found
            .Where(c => SandboxNames.IsPooled(_instance, c.Name)
                && c.Labels.GetValueOrDefault(SandboxNames.PoolLabel) != poolId)
            .Select(c => c.Id)
            .ToList();
    }

    /// <summary>Kills and removes a container; a missing one is fine.</summary>
    public async Task RemoveAsync(string containerId, CancellationToken cancellationToken)
    {
        agents.Forget(containerId);
        await StartEndedAsync(containerId, cancellationToken).ConfigureAwait(false);
        await containers.RemoveAsync(containerId, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Removes a container whatever else is going on: failures are logged, not thrown.</summary>
    public async Task RemoveQuietlyAsync(string containerId)
    {
        agents.Forget(containerId);
        using var timeout = new CancellationTokenSource(CleanupTimeout);
        try
        {
            await StartEndedAsync(containerId, timeout.Token).ConfigureAwait(false);
            await containers.RemoveAsync(containerId, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is RuntimeUnavailableException or RuntimeOperationException
            or OperationCanceledException)
        {
            logger.SandboxNotRemoved(containerId, e.Message);
        }
    }

    // A container that was created but did not start is removed, so that a failed start leaves nothing.
    private async Task<string> StartAsync(ContainerSpec container, CancellationToken cancellationToken)
    {
        var containerId = await containers.CreateAsync(container, cancellationToken).ConfigureAwait(false);
        var startEnded = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _starting[containerId] = startEnded.Task;
        var started = false;
        ExecAttachment? attachment = null;
        try
        {
            if (container.Attached)
            {
                attachment = await containers.AttachAsync(containerId, cancellationToken).ConfigureAwait(false);
            }

            // Not cancelled once asked for, and not removed meanwhile (see _starting). The finally
            // below removes the container once the start is over.
            await containers.StartAsync(containerId, CancellationToken.None).ConfigureAwait(false);
            if (attachment is not null)
            {
                agents.Connect(containerId, attachment);
            }

            started = true;

            return containerId;
        }
        finally
        {
            _starting.TryRemove(containerId, out _);
            startEnded.SetResult();
            if (!started)
            {
                attachment?.Dispose();
                await RemoveQuietlyAsync(containerId).ConfigureAwait(false);
            }
        }
    }

    private Task StartEndedAsync(string containerId, CancellationToken cancellationToken) =>
        _starting.TryGetValue(containerId, out var start) ? start.WaitAsync(cancellationToken) : Task.CompletedTask;

    private SandboxInfo ToInfo(ContainerSummary container)
    {
        var pooled = SandboxNames.IsPooled(_instance, container.Name);
        var session = container.Labels.GetValueOrDefault(SandboxNames.SessionLabel)
            ?? SandboxNames.SessionOf(_instance, container.Name);

        return new SandboxInfo(
            container.Id,
            pooled ? null : session,
            container.Labels.GetValueOrDefault(BerthLabels.ConfigHash),
            container.Running,
            pooled);
    }
}
