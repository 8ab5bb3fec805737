using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Text.Json;
using Berth.Runtime.Docker;
using Microsoft.Extensions.Logging;

namespace Berth.Runtime.Sandboxes.Agent;

/// <summary>
/// The command agent of one sandbox (<c>command-agent.py</c>): started once through an engine
/// exec, it runs the sandbox's commands over its own stdin and stdout, so that a command costs a
/// fork and exec inside the sandbox rather than an engine round trip. When its connection ends
/// (the container stopped, the agent was killed), its commands end with it.
/// </summary>
internal sealed class CommandAgent : IAsyncDisposable
{
    private const int HeaderSize = 9;
    private const int ReadBufferSize = 64 * 1024;
    private const int MaxPayload = 16 * 1024 * 1024;

    // The interpreter reads the agent's source from stdin, so the command line stays short. When
    // no source comes (the server went away first), it becomes a plain sleep, keeping the
    // container up for the next server.
    private const string Loader =
        "import os,sys;n=sys.stdin.buffer.readline();"
        + "exec(sys.stdin.buffer.read(int(n))) if n else os.execvp('sleep',['sleep','infinity'])";

    private static readonly IReadOnlyList<string> Bootstrap = ["python3", "-I", "-S", "-B", "-c", Loader];

    private static readonly byte[] Source = LoadSource();

    private readonly ExecAttachment _attachment;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _writing = new(1, 1);
    private readonly ConcurrentDictionary<uint, AgentCommand> _commands = new();
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _ended = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _nextId;
    private string? _refusal;

    private CommandAgent(string containerId, ExecAttachment attachment, ILogger logger)
    {
        ContainerId = containerId;
        _attachment = attachment;
        _logger = logger;
        _ = ReadAsync();
    }

    public string ContainerId { get; }

    /// <summary>
    /// The main process of a sandbox container that is attached before it starts: the agent,
    /// which is then also the container's init. Without <c>python3</c> in the image it says so
    /// with a <see cref="AgentFrame.NoAgent"/> frame and the container just stays up.
    /// </summary>
    public static IReadOnlyList<string> MainProcess { get; } =
    [
        "/bin/sh", "-c",
        "command -v python3 >/dev/null 2>&1 && exec python3 -I -S -B -c \"$1\"; "
        + "printf 'N\\0\\0\\0\\0\\0\\0\\0\\0'; exec sleep infinity",
        "sh", Loader,
    ];

    /// <summary>Completes when the agent's connection has ended; it runs nothing more.</summary>
    public Task Ended => _ended.Task;

    public bool IsAlive => !_ended.Task.IsCompleted;

    /// <summary>Starts the agent in a running container and waits until it is ready for commands.</summary>
    public static async Task<CommandAgent> StartAsync(
        DockerExecOperations exec, string containerId, ILogger logger, CancellationToken cancellationToken)
    {
        var command = new ExecCommand(Bootstrap, [], "/");
        var execId = await exec.CreateAsync(containerId, command, true, cancellationToken).ConfigureAwait(false);
        var attachment = await exec.StartAsync(execId, cancellationToken).ConfigureAwait(false);

        return await ConnectAsync(containerId, attachment, logger, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Gives the agent its source over a connection to its interpreter (an exec's, or the main
    /// process's of a container started with <see cref="MainProcess"/>) and waits until it is ready.
    /// </summary>
    public static async Task<CommandAgent> ConnectAsync(
        string containerId, ExecAttachment attachment, ILogger logger, CancellationToken cancellationToken)
    {
        var agent = new CommandAgent(containerId, attachment, logger);
        try
        {
            var length = System.Text.Encoding.ASCII.GetBytes($"{Source.Length}\n");
            await agent.WriteAsync([length, Source], cancellationToken).ConfigureAwait(false);
            await Task.WhenAny(agent._ready.Task, agent._ended.Task).WaitAsync(cancellationToken).ConfigureAwait(false);
            if (!agent._ready.Task.IsCompleted)
            {
                throw new CommandAgentEndedException(agent._refusal ?? "The sandbox's command agent ended before it was ready.");
            }

            return agent;
        }
        catch
        {
            await agent.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Starts a command; its output, exit code and kill are on the returned command.</summary>
    public async Task<ISandboxCommand> RunAsync(
        string workingDirectory, IReadOnlyList<string> argv, IReadOnlyDictionary<string, string>? env,
        bool withInput, CancellationToken cancellationToken)
    {
        var id = (uint)Interlocked.Increment(ref _nextId);
        var command = new AgentCommand(this, id);
        _commands[id] = command;
        try
        {
            await SendAsync(AgentFrame.Run, id, RunPayload(workingDirectory, argv, env, withInput), cancellationToken)
                .ConfigureAwait(false);
        }
        catch
        {
            _commands.TryRemove(id, out _);
            throw;
        }

        // Ended while the command was being sent: nothing will ever answer for it.
        if (!IsAlive)
        {
            command.AgentEnded();
        }

        return command;
    }

    public async ValueTask DisposeAsync()
    {
        _attachment.Dispose();
        await _ended.Task.ConfigureAwait(false);
    }

    internal Task SendAsync(AgentFrame kind, uint commandId, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken)
    {
        var header = new byte[HeaderSize];
        header[0] = (byte)kind;
        BinaryPrimitives.WriteUInt32BigEndian(header.AsSpan(1), commandId);
        BinaryPrimitives.WriteUInt32BigEndian(header.AsSpan(5), (uint)payload.Length);

        return WriteAsync([header, payload], cancellationToken);
    }

    internal void Forget(uint commandId) => _commands.TryRemove(commandId, out _);

    private async Task WriteAsync(ReadOnlyMemory<byte>[] parts, CancellationToken cancellationToken)
    {
        var length = parts.Sum(p => p.Length);
        var bytes = new byte[length];
        var offset = 0;
        foreach (var part in parts)
        {
            part.CopyTo(bytes.AsMemory(offset));
            offset += part.Length;
        }

        await _writing.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await _attachment.WriteInputAsync(bytes, 0, bytes.Length, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is ObjectDisposedException or RuntimeUnavailableException or IOException)
        {
            throw new CommandAgentEndedException("The sandbox's command agent has ended.", e);
        }
        finally
        {
            _writing.Release();
        }
    }

    private async Task ReadAsync()
    {
        var frames = new AgentFrameReader(MaxPayload);
        var buffer = new byte[ReadBufferSize];
        try
        {
            while (true)
            {
                var chunk = await _attachment.ReadAsync(buffer, CancellationToken.None).ConfigureAwait(false);
                if (chunk.Ended)
                {
                    break;
                }

                if (chunk.IsStderr)
                {
                    _logger.AgentSaid(ContainerId, System.Text.Encoding.UTF8.GetString(buffer, 0, chunk.Count));
                    continue;
                }

                frames.Append(buffer.AsSpan(0, chunk.Count));
                while (frames.TryTake(out var kind, out var commandId, out var payload))
                {
                    Dispatch(kind, commandId, payload);
                }
            }
        }
        catch (Exception e) when (e is RuntimeUnavailableException or IOException or ObjectDisposedException
            or InvalidDataException)
        {
            if (_ready.Task.IsCompleted)
            {
                _logger.AgentEnded(ContainerId, e.Message);
            }
        }
        finally
        {
            _ended.TrySetResult();
            foreach (var command in _commands.Values)
            {
                command.AgentEnded();
            }

            _commands.Clear();
            _attachment.Dispose();
        }
    }

    private void Dispatch(AgentFrame kind, uint commandId, byte[] payload)
    {
        if (kind == AgentFrame.Ready)
        {
            _ready.TrySetResult();
            return;
        }

        if (kind == AgentFrame.NoAgent)
        {
            _refusal = "The sandbox's image has no python3 to run the command agent.";
            throw new InvalidDataException(_refusal);
        }

        if (!_commands.TryGetValue(commandId, out var command))
        {
            return;
        }

        switch (kind)
        {
            case AgentFrame.Stdout:
                command.Deliver(ExecStream.Stdout, payload);
                break;
            case AgentFrame.Stderr:
                command.Deliver(ExecStream.Stderr, payload);
                break;
            case AgentFrame.Exit when payload.Length == sizeof(int):
                _commands.TryRemove(commandId, out _);
                command.Exit(BinaryPrimitives.ReadInt32BigEndian(payload));
                break;
            default:
                throw new InvalidDataException($"The command agent sent a frame it should not ({(int)kind}, {payload.Length} bytes).");
        }
    }

    private static byte[] RunPayload(
        string workingDirectory, IReadOnlyList<string> argv, IReadOnlyDictionary<string, string>? env, bool withInput)
    {
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream))
        {
            json.WriteStartObject();
            json.WriteStartArray("argv");
            foreach (var argument in argv)
            {
                json.WriteStringValue(argument);
            }

            json.WriteEndArray();
            json.WriteString("cwd", workingDirectory);
            json.WriteStartObject("env");
            foreach (var (name, value) in env ?? new Dictionary<string, string>())
            {
                json.WriteString(name, value);
            }

            json.WriteEndObject();
            json.WriteBoolean("stdin", withInput);
            json.WriteEndObject();
        }

        return stream.ToArray();
    }

    private static byte[] LoadSource()
    {
        using var resource = typeof(CommandAgent).Assembly.GetManifestResourceStream("Berth.Runtime.CommandAgent.py")
            ?? throw new InvalidOperationException("The command agent's source is not embedded in Berth.Runtime.");
        using var copy = new MemoryStream();
        resource.CopyTo(copy);

        return copy.ToArray();
    }
}
