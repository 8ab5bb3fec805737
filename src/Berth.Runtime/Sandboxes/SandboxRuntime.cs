using System.Diagnostics;
using Berth.Runtime.Docker;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Berth.Runtime.Sandboxes;

/// <summary>
/// Session sandboxes: one container per session, started (from the pool when one is ready),
/// listed for reconciliation, removed; and the commands and files inside them.
/// </summary>
/// <remarks>
/// Starting, listing and removing answer an unreachable runtime with a value. Commands and files
/// have results of their own (exit codes, missing paths) and throw
/// <see cref="SandboxUnavailableException"/> when there is no running sandbox to use at all.
/// </remarks>
public sealed class SandboxRuntime
{
    private const int CannotExecute = 126;
    private const int Killed = 137;
    private const int AgentEndChecks = 10;

    private static readonly TimeSpan AgentEndCheckInterval = TimeSpan.FromMilliseconds(100);

    private readonly SandboxContainers _containers;
    private readonly SandboxPool _pool;
    private readonly SandboxExec _exec;
    private readonly SandboxFiles _files;
    private readonly SandboxOptions _options;
    private readonly ILogger<SandboxRuntime> _logger;

    internal SandboxRuntime(
        SandboxContainers containers, SandboxPool pool, SandboxExec exec, SandboxFiles files,
        IOptions<SandboxOptions> options, ILogger<SandboxRuntime> logger)
    {
        _containers = containers;
        _pool = pool;
        _exec = exec;
        _files = files;
        _options = options.Value;
        _logger = logger;
    }

    /// <summary>The limits of a sandbox whose session asks for none.</summary>
    public SandboxLimits DefaultLimits => _options.DefaultLimits;

    /// <summary>
    /// Starts the session's sandbox: a ready container from the pool when one matches, else a new
    /// one. Either way the pool then refills for the configuration in the background.
    /// </summary>
    /// <exception cref="ArgumentException">The session id cannot name a container.</exception>
    public async Task<SandboxStartResult> StartAsync(SandboxSpec spec, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(spec);
        SandboxNames.ThrowIfInvalidSessionId(spec.SessionId);
        if (SandboxIsolation.Problem(spec.Limits, _options) is { } problem)
        {
            return new SandboxStartFailed(problem);
        }

        var clock = Stopwatch.StartNew();
        var template = SandboxTemplate.Of(spec);
        try
        {
            var pooled = await TakeFromPoolAsync(template, spec, cancellationToken).ConfigureAwait(false);
            var containerId = pooled
                ?? await _containers.StartForSessionAsync(spec, cancellationToken).ConfigureAwait(false);
            _logger.SandboxStarted(containerId, spec.SessionId, spec.ConfigHash, pooled is not null,
                clock.ElapsedMilliseconds);
            _pool.Warm(template);

            return new SandboxStarted(containerId) { FromPool = pooled is not null };
        }
        catch (RuntimeUnavailableException e)
        {
            _logger.SandboxStartFailed(spec.SessionId, e.Message);
            return new SandboxRuntimeUnavailable(e.Message);
        }
        catch (RuntimeOperationException e)
        {
            _logger.SandboxStartFailed(spec.SessionId, e.Message);
            return new SandboxStartFailed(e.Message);
        }
    }

    /// <summary>Kills and removes a sandbox; one that is already gone is fine.</summary>
    /// <exception cref="SandboxUnavailableException">The runtime did not answer.</exception>
    public Task RemoveAsync(string containerId, CancellationToken cancellationToken) =>
        SandboxCalls.RunAsync(containerId, _logger, async () =>
        {
            await _containers.RemoveAsync(containerId, cancellationToken).ConfigureAwait(false);
            _logger.SandboxRemoved(containerId);

            return true;
        });

    /// <summary>
    /// Every sandbox container of this instance, pooled ones included, running or not; null when
    /// the runtime did not answer.
    /// </summary>
    public async Task<IReadOnlyList<SandboxInfo>?> ListAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await _containers.ListAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is RuntimeUnavailableException or RuntimeOperationException)
        {
            _logger.SandboxUnavailable("*", SandboxProblem.RuntimeUnavailable, e.Message);
            return null;
        }
    }

    /// <summary>
    /// Runs a command and returns how it ended, passing its output to <paramref name="output"/> as
    /// it comes. Cancelling kills the command's process group and throws.
    /// </summary>
    /// <exception cref="SandboxUnavailableException">The sandbox is missing or stopped, or the runtime did not answer.</exception>
    public Task<ExecResult> ExecAsync(
        string containerId, ExecRequest request, IExecOutput? output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentOutOfRangeException.ThrowIfZero(request.Argv.Count, nameof(request));
        ArgumentOutOfRangeException.ThrowIfNegative(request.MaxOutputBytes, nameof(request));

        return SandboxCalls.RunAsync(containerId, _logger, async () =>
        {
            var result = await _exec.RunAsync(containerId, request, output, cancellationToken).ConfigureAwait(false);

            // A container that is stopping still accepts an exec, whose start then fails inside
            // the runtime with 126 and the runtime's message as output; a command agent that ends
            // with its container reports its commands killed. Neither is the command's own exit
            // code when the container is no longer running: the sandbox is gone.
            if (result.ExitCode is CannotExecute or Killed
                && !await IsRunningAsync(containerId, result.EndedWithAgent, cancellationToken).ConfigureAwait(false))
            {
                throw new SandboxUnavailableException(
                    containerId, SandboxProblem.ContainerStopped, $"Sandbox container {containerId} is not running.", null);
            }

            return result;
        });
    }

    /// <summary>
    /// Writes <paramref name="content"/> to a file, creating its parents, reading the stream as it
    /// goes and never more than <paramref name="maxBytes"/> of it.
    /// </summary>
    /// <exception cref="SandboxUnavailableException">The sandbox is missing or stopped, or the runtime did not answer.</exception>
    public Task<FileWriteResult> WriteFileAsync(
        string containerId, string path, Stream content, long maxBytes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(content);

        return SandboxCalls.RunAsync(containerId, _logger,
            () => _files.WriteAsync(containerId, path, content, maxBytes, cancellationToken));
    }

    /// <summary>A file as a stream the caller reads and disposes, a directory's entries, or not found.</summary>
    /// <exception cref="SandboxUnavailableException">The sandbox is missing, or the runtime did not answer.</exception>
    public Task<FileReadResult> ReadFileAsync(string containerId, string path, CancellationToken cancellationToken) =>
        SandboxCalls.RunAsync(containerId, _logger, () => _files.ReadAsync(containerId, path, cancellationToken));

    /// <summary>Deletes a file, a symlink or an empty directory.</summary>
    /// <exception cref="SandboxUnavailableException">The sandbox is missing or stopped, or the runtime did not answer.</exception>
    public Task<FileDeleteResult> DeleteFileAsync(string containerId, string path, CancellationToken cancellationToken) =>
        SandboxCalls.RunAsync(containerId, _logger, () => _files.DeleteAsync(containerId, path, cancellationToken));

    // The agent's end comes a moment before the engine records a killed container as stopped; an
    // agent killed from inside leaves the container running throughout.
    private async Task<bool> IsRunningAsync(string containerId, bool agentEnded, CancellationToken cancellationToken)
    {
        var checks = agentEnded ? AgentEndChecks : 1;
        for (var check = 1; ; check++)
        {
            if (!await _containers.IsRunningAsync(containerId, cancellationToken).ConfigureAwait(false))
            {
                return false;
            }

            if (check == checks)
            {
                return true;
            }

            await Task.Delay(AgentEndCheckInterval, cancellationToken).ConfigureAwait(false);
        }
    }

    // A container taken from the pool that cannot be handed over is removed; the pool makes another.
    private async Task<string?> TakeFromPoolAsync(
        SandboxTemplate template, SandboxSpec spec, CancellationToken cancellationToken)
    {
        var containerId = await _pool.TakeAsync(template, cancellationToken).ConfigureAwait(false);
        if (containerId is null)
        {
            return null;
        }

        var assigned = false;
        try
        {
            await _containers.AssignAsync(containerId, spec, cancellationToken).ConfigureAwait(false);
            assigned = true;

            return containerId;
        }
        finally
        {
            if (!assigned)
            {
                await _containers.RemoveQuietlyAsync(containerId).ConfigureAwait(false);
            }
        }
    }
}
