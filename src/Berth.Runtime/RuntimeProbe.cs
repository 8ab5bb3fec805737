using Berth.Runtime.Docker;
using Microsoft.Extensions.Logging;

namespace Berth.Runtime;

/// <summary>Whether the container runtime answers, and which engine it is.</summary>
public sealed record RuntimeAvailability(bool IsAvailable, string? ServerVersion, string? ApiVersion, string? Problem);

/// <summary>Asks the container runtime whether it is there, within a few seconds.</summary>
public sealed class RuntimeProbe
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    private readonly DockerSystemOperations _system;
    private readonly ILogger<RuntimeProbe> _logger;

    internal RuntimeProbe(DockerSystemOperations system, ILogger<RuntimeProbe> logger)
    {
        _system = system;
        _logger = logger;
    }

    /// <summary>Returns the engine's versions, or the reason it did not answer.</summary>
    public async Task<RuntimeAvailability> PingAsync(CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Timeout);
        try
        {
            var (server, api) = await _system.GetVersionAsync(timeout.Token).ConfigureAwait(false);
            return new RuntimeAvailability(true, server, api, null);
        }
        catch (Exception e) when (e is RuntimeUnavailableException or RuntimeOperationException
            || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            var problem = e is OperationCanceledException
                ? $"The container runtime did not answer within {Timeout.TotalSeconds:0} s."
                : e.Message;
            _logger.RuntimeUnavailable(problem);

            return new RuntimeAvailability(false, null, null, problem);
        }
    }
}
