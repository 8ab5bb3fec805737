using System.Collections.Concurrent;
using Berth.Runtime.Docker;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Berth.Runtime.Sandboxes.Agent;

/// <summary>
/// The command agents of this process's sandboxes, one per container, started on demand. A
/// sandbox without a ready agent runs its commands as engine execs meanwhile; an agent that
/// ended (killed from inside, container gone) is started again when next asked for, and one that
/// could not start (no <c>python3</c> in the image) is not tried again for that container.
/// </summary>
internal sealed class CommandAgents(
    DockerExecOperations exec, IOptions<SandboxOptions> options, ILogger<CommandAgents> logger) : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);

    private readonly bool _enabled = options.Value.CommandAgent;
    private readonly ConcurrentDictionary<string, Task<CommandAgent?>> _agents = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stopping = new();

    /// <summary>The container's agent when it is ready; otherwise null.</summary>
    public CommandAgent? Find(string containerId) =>
        _agents.TryGetValue(containerId, out var starting)
        && starting.IsCompletedSuccessfully && starting.Result is { IsAlive: true } agent
            ? agent
            : null;

    /// <summary>Starts the container's agent in the background unless it has one or one is starting.</summary>
    public void Launch(string containerId)
    {
        if (_enabled)
        {
            _agents.GetOrAdd(containerId, StartQuietlyAsync);
        }
    }

    /// <summary>Starts the container's agent unless it has one, and waits until it is ready or could not start.</summary>
    public async Task<CommandAgent?> EnsureAsync(string containerId, CancellationToken cancellationToken)
    {
        if (!_enabled)
        {
            return null;
        }

        var agent = await _agents.GetOrAdd(containerId, StartQuietlyAsync).WaitAsync(cancellationToken)
            .ConfigureAwait(false);
        return agent is { IsAlive: true } ? agent : null;
    }

    /// <summary>Drops the agent of a container that is being removed; it ends with the container.</summary>
    public void Forget(string containerId) => _agents.TryRemove(containerId, out _);

    /// <summary>Ends every agent, and with them the commands they still run.</summary>
    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        foreach (var (_, starting) in _agents)
        {
            if (await starting.ConfigureAwait(false) is { } agent)
            {
                await agent.DisposeAsync().ConfigureAwait(false);
            }
        }

        _agents.Clear();
        _stopping.Dispose();
    }

    private async Task<CommandAgent?> StartQuietlyAsync(string containerId)
    {
        await Task.Yield();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token);
        timeout.CancelAfter(StartTimeout);
        try
        {
            var agent = await CommandAgent.StartAsync(exec, containerId, logger, timeout.Token).ConfigureAwait(false);
            _ = agent.Ended.ContinueWith(_ => Drop(containerId, agent), TaskScheduler.Default);

            return agent;
        }
        catch (Exception e) when (e is RuntimeUnavailableException or RuntimeOperationException
            or CommandAgentEndedException or OperationCanceledException or ObjectDisposedException)
        {
            logger.AgentNotStarted(containerId, e.Message);
            return null;
        }
    }

    // An ended agent leaves its place, so that the container's next command starts a new one.
    private void Drop(string containerId, CommandAgent agent)
    {
        if (_agents.TryGetValue(containerId, out var current) && current.IsCompletedSuccessfully
            && ReferenceEquals(current.Result, agent))
        {
            _agents.TryRemove(new KeyValuePair<string, Task<CommandAgent?>>(containerId, current));
        }
    }
}
