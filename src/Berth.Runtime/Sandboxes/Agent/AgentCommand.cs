using System.Buffers.Binary;
using System.Threading.Channels;

namespace Berth.Runtime.Sandboxes.Agent;

/// <summary>
/// One command run by a sandbox's <see cref="CommandAgent"/>. Its output is acknowledged to the
/// agent as it is passed on, so that a slow reader holds the command back rather than filling memory.
/// </summary>
internal sealed class AgentCommand(CommandAgent agent, uint id) : ISandboxCommand
{
    // What a command is reported to have exited with when its agent ended first: the agent's end
    // is a kill of everything it ran (a `kill -9 -1` in the sandbox, the container stopping).
    private const int KilledWithAgent = 137;

    private readonly Channel<(ExecStream Stream, byte[] Bytes)> _output =
        Channel.CreateUnbounded<(ExecStream, byte[])>(new UnboundedChannelOptions { SingleReader = true });

    private readonly TaskCompletionSource<int> _exit = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public string ContainerId => agent.ContainerId;

    /// <summary>Whether the agent ended before the command reported its exit.</summary>
    public bool EndedWithAgent { get; private set; }

    public async Task PumpAsync(
        Func<ExecStream, ReadOnlyMemory<byte>, ValueTask> onOutput, CancellationToken cancellationToken)
    {
        await foreach (var (stream, bytes) in _output.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
        {
            await onOutput(stream, bytes).ConfigureAwait(false);
            await AcknowledgeAsync(bytes.Length, cancellationToken).ConfigureAwait(false);
        }
    }

    public async Task WriteInputAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        await agent.SendAsync(AgentFrame.Input, id, buffer.AsMemory(offset, count), cancellationToken).ConfigureAwait(false);

    public Task CloseInputAsync(CancellationToken cancellationToken) =>
        agent.SendAsync(AgentFrame.CloseInput, id, ReadOnlyMemory<byte>.Empty, cancellationToken);

    public Task<int> ExitCodeAsync(CancellationToken cancellationToken) => _exit.Task.WaitAsync(cancellationToken);

    public async Task<string?> KillAsync()
    {
        if (_exit.Task.IsCompleted)
        {
            return null;
        }

        try
        {
            await agent.SendAsync(AgentFrame.Kill, id, ReadOnlyMemory<byte>.Empty, CancellationToken.None)
                .ConfigureAwait(false);
            return null;
        }
        catch (CommandAgentEndedException e)
        {
            // With the agent gone, so is everything it ran.
            return agent.IsAlive ? e.Message : null;
        }
    }

    public void Dispose()
    {
        agent.Forget(id);
        _output.Writer.TryComplete();
    }

    internal void Deliver(ExecStream stream, byte[] bytes) => _output.Writer.TryWrite((stream, bytes));

    internal void Exit(int exitCode)
    {
        _exit.TrySetResult(exitCode);
        _output.Writer.TryComplete();
    }

    internal void AgentEnded()
    {
        EndedWithAgent = !_exit.Task.IsCompleted;
        Exit(KilledWithAgent);
    }

    private async Task AcknowledgeAsync(int count, CancellationToken cancellationToken)
    {
        if (_exit.Task.IsCompleted)
        {
            return;
        }

        var payload = new byte[4];
        BinaryPrimitives.WriteInt32BigEndian(payload, count);
        try
        {
            await agent.SendAsync(AgentFrame.Acknowledge, id, payload, cancellationToken).ConfigureAwait(false);
        }
        catch (CommandAgentEndedException)
        {
            // The agent has ended; the command's exit says so.
        }
    }
}
