using Berth.Api.Errors;
using Berth.Runtime.Sandboxes;

namespace Berth.Api.Sessions;

/// <summary>
/// Answers a session call whose sandbox is gone: a container stopped from inside (<c>kill 1</c>)
/// or removed behind Berth's back ends its session as <c>failed</c>, and the call gets a 409
/// saying so instead of a 500; an engine that stopped answering gets the 503 of the contract.
/// </summary>
public sealed partial class LostSandboxFilter(
    LiveSessions live, SessionLifecycle lifecycle, ILogger<LostSandboxFilter> logger) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);

        try
        {
            return await next(context);
        }
        catch (SandboxUnavailableException e) when (!context.HttpContext.Response.HasStarted)
        {
            return e.Problem switch
            {
                SandboxProblem.RuntimeUnavailable => ApiErrorResult.Unavailable(RuntimeStatus.UnavailableMessage),
                SandboxProblem.ContainerMissing or SandboxProblem.ContainerStopped => await FailSessionAsync(context, e),
                _ => throw e.InnerException ?? e,
            };
        }
    }

    private async Task<ApiErrorResult> FailSessionAsync(EndpointFilterInvocationContext context, SandboxUnavailableException e)
    {
        var id = context.HttpContext.GetRouteValue("id") as string;
        var message = e.Problem == SandboxProblem.ContainerMissing
            ? "its sandbox container was removed outside Berth"
            : "its sandbox stopped (its first process exited or was killed)";
        if (id is not null && live.Find(id) is { } session)
        {
            LogSandboxLost(logger, id, e.ContainerId, message);
            await lifecycle.FailAsync(session, SessionLifecycle.Error($"The session ended: {message}."));
        }

        return ApiErrorResult.Conflict($"Session {id} has failed: {message}. Start a new session.");
    }

    [LoggerMessage(EventId = 4200, Level = LogLevel.Warning,
        Message = "Session {SessionId} lost its sandbox {ContainerId}: {Reason}")]
    private static partial void LogSandboxLost(ILogger logger, string sessionId, string containerId, string reason);
}
