using Berth.Runtime.Docker;
using Microsoft.Extensions.Logging;

namespace Berth.Runtime.Sandboxes;

/// <summary>Turns the operations layer's failures on one sandbox into <see cref="SandboxUnavailableException"/>.</summary>
internal static class SandboxCalls
{
    public static async Task<T> RunAsync<T>(string containerId, ILogger logger, Func<Task<T>> call)
    {
        try
        {
            return await call().ConfigureAwait(false);
        }
        catch (RuntimeUnavailableException e)
        {
            throw Unavailable(containerId, SandboxProblem.RuntimeUnavailable, e, logger);
        }
        catch (RuntimeOperationException e)
        {
            var problem = DockerCalls.IsNotFound(e) ? SandboxProblem.ContainerMissing
                : DockerCalls.IsConflict(e) ? SandboxProblem.ContainerStopped
                : SandboxProblem.RuntimeError;

            throw Unavailable(containerId, problem, e, logger);
        }
    }

    public static Task RunAsync(string containerId, ILogger logger, Func<Task<bool>> call) =>
        RunAsync<bool>(containerId, logger, call);

    private static SandboxUnavailableException Unavailable(
        string containerId, SandboxProblem problem, Exception e, ILogger logger)
    {
        logger.SandboxUnavailable(containerId, problem, e.Message);
        var message = problem switch
        {
            SandboxProblem.ContainerMissing => $"Sandbox container {containerId} does not exist.",
            SandboxProblem.ContainerStopped => $"Sandbox container {containerId} is not running.",
            _ => e.Message,
        };

        return new SandboxUnavailableException(containerId, problem, message, e);
    }
}
