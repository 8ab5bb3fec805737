using Docker.DotNet;
using Docker.DotNet.Models;

namespace Berth.Runtime.Docker;

/// <summary>
/// Commands run inside running containers: run with output streamed line by line, or created,
/// started and attached separately for callers that handle the streams themselves.
/// </summary>
internal sealed class DockerExecOperations(DockerConnection connection)
{
    private const int ReadBufferSize = 16 * 1024;

    // The attach stream can end a moment before the engine records the exit code.
    private static readonly TimeSpan ExitCodePollInterval = TimeSpan.FromMilliseconds(20);
    private const int ExitCodePollAttempts = 250;

    /// <summary>Runs a command, passes each output line (stdout and stderr merged) on, returns the exit code.</summary>
    public async Task<long> RunAsync(
        string containerId, ExecCommand command, Action<string> onOutputLine,
        CancellationToken cancellationToken)
    {
        var parameters = new ContainerExecCreateParameters
        {
            AttachStdout = true,
            AttachStderr = true,
            Cmd = command.Arguments.ToList(),
            Env = command.Env.ToList(),
            WorkingDir = command.WorkingDir,
            User = command.User,
        };

        var exec = await DockerCalls.RunAsync(connection, "create an exec",
            client => client.Exec.ExecCreateContainerAsync(containerId, parameters, cancellationToken),
            cancellationToken).ConfigureAwait(false);

        using (var stream = await DockerCalls.RunAsync(connection, "start an exec",
            client => client.Exec.StartAndAttachContainerExecAsync(exec.ID, false, cancellationToken),
            cancellationToken).ConfigureAwait(false))
        {
            await DockerCalls.RunAsync(connection, "read exec output",
                _ => PumpAsync(stream, onOutputLine, cancellationToken),
                cancellationToken).ConfigureAwait(false);
        }

        return await WaitForExitCodeAsync(exec.ID, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Creates an exec with stdout and stderr attached, and stdin when asked; returns its id.</summary>
    public async Task<string> CreateAsync(
        string containerId, ExecCommand command, bool attachInput, CancellationToken cancellationToken)
    {
        var parameters = new ContainerExecCreateParameters
        {
            AttachStdin = attachInput,
            AttachStdout = true,
            AttachStderr = true,
            Cmd = command.Arguments.ToList(),
            Env = command.Env.ToList(),
            WorkingDir = command.WorkingDir,
            User = command.User,
        };

        var exec = await DockerCalls.RunAsync(connection, "create an exec",
            client => client.Exec.ExecCreateContainerAsync(containerId, parameters, cancellationToken),
            cancellationToken).ConfigureAwait(false);

        return exec.ID;
    }

    /// <summary>Starts a created exec and returns the connection to its streams.</summary>
    public async Task<ExecAttachment> StartAsync(string execId, CancellationToken cancellationToken)
    {
        var stream = await DockerCalls.RunAsync(connection, "start an exec",
            client => client.Exec.StartAndAttachContainerExecAsync(execId, false, cancellationToken),
            cancellationToken).ConfigureAwait(false);

        return new ExecAttachment(stream, connection.Endpoint);
    }

    /// <summary>The exit code of an exec whose output has ended, as the engine records it.</summary>
    public async Task<long> WaitForExitCodeAsync(string execId, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            var inspect = await DockerCalls.RunAsync(connection, "inspect an exec",
                client => client.Exec.InspectContainerExecAsync(execId, cancellationToken),
                cancellationToken).ConfigureAwait(false);
            if (!inspect.Running || attempt >= ExitCodePollAttempts)
            {
                return inspect.ExitCode;
            }

            await Task.Delay(ExitCodePollInterval, cancellationToken).ConfigureAwait(false);
        }
    }

    private static async Task PumpAsync(
        MultiplexedStream stream, Action<string> onOutputLine, CancellationToken cancellationToken)
    {
        // Reads on the hijacked connection do not all observe the token; closing the stream does end them.
        using var abort = cancellationToken.Register(stream.Dispose);
        var splitter = new OutputLineSplitter(onOutputLine);
        var buffer = new byte[ReadBufferSize];

        while (true)
        {
            var read = await stream.ReadOutputAsync(buffer, 0, buffer.Length, cancellationToken)
                .ConfigureAwait(false);
            if (read.EOF)
            {
                break;
            }

            splitter.Append(buffer.AsSpan(0, read.Count));
        }

        cancellationToken.ThrowIfCancellationRequested();
        splitter.Flush();
    }
}
