using System.Collections.Concurrent;
using Berth.Runtime.Docker;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Berth.Runtime.Sandboxes.Agent;

/// <summary>
/// The command agents of this process's sandboxes, one per container. A sandbox this process
/// starts has its agent as its main process, attached from the start; a sandbox of an earlier
/// process gets one started through an engine exec after its first command, which like every
/// command without a ready agent is an engine exec itself. An agent that ended (killed from
/// inside, container gone) is started again when next asked for, and one that could not start
/// (no <c>python3</c> in the image) is not tried again for that container.
/// </summary>
internal sealed class CommandAgents(
    DockerExecOperations exec, IOptions<SandboxOptions> options, ILogger<CommandAgents> logger) : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);

    private readonly bool _enabled = options.Value.CommandAgent;
    private readonly ConcurrentDictionary<string, Task<CommandAgent?>> _agents = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stopping = new();

    /// <summary>The container's agent, once it is ready if it is starting; null when it has none.</summary>
    public async Task<CommandAgent?> FindAsync(string containerId, CancellationToken cancellationToken)
    {
        if (!_agents.TryGetValue(containerId, out var starting))
        {
            return null;
        }

        var agent = await starting.WaitAsync(cancellationToken).ConfigureAwait(false);
        return agent is { IsAlive: true } ? agent : null;
    }

    /// <summary>
    /// Connects to the agent that is the main process of a container just started attached; it
    /// becomes ready in the background, and commands wait for it.
    /// </summary>
    public void Connect(string containerId, ExecAttachment attachment)
    {
        if (!_enabled)
        {
            attachment.Dispose();
            return;
        }

        _agents[containerId] = StartQuietlyAsync(containerId,
            token => CommandAgent.ConnectAsync(containerId, attachment, logger, token));
    }

    /// <summary>Starts the container's agent in the background unless it has one or one is starting.</summary>
    public void Launch(string containerId)
    {
        if (_enabled)
        {
            _agents.GetOrAdd(containerId, StartThroughExecAsync);
        }
    }

    /// <summary>Starts the container's agent unless it has one, and waits until it is ready or could not start.</summary>
    public async Task<CommandAgent?> EnsureAsync(string containerId, CancellationToken cancellationToken)
    {
        if (!_enabled)
        {
            return null;
        }

        var agent = await _agents.GetOrAdd(containerId, StartThroughExecAsync).WaitAsync(cancellationToken)
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

    private Task<CommandAgent?> StartThroughExecAsync(string containerId) =>
        StartQuietlyAsync(containerId, token => CommandAgent.StartAsync(exec, containerId, logger, token));

    private async Task<CommandAgent?> StartQuietlyAsync(
        string containerId, Func<CancellationToken, Task<CommandAgent>> start)
    {
        await Task.Yield();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token);
        timeout.CancelAfter(StartTimeout);
        try
        {
            var agent = await start(timeout.Token).ConfigureAwait(false);
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
