using Berth.Api.Errors;
using Berth.Runtime.Sandboxes;

namespace Berth.Api.Sessions;

/// <summary>
/// Answers a session call whose sandbox is gone: a container stopped from inside (<c>kill 1</c>)
/// or removed behind Berth's back ends its session as <c>failed</c>, and the call gets a 409
/// saying so instead of a 500; an engine that stopped answering gets the 503 of the contract.
/// Streamed answers, whose status is already sent, handle this themselves.
/// </summary>
public sealed partial class LostSandboxFilter(SessionCommands commands, ILogger<LostSandboxFilter> logger) : IEndpointFilter
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
            if (e.Problem == SandboxProblem.RuntimeUnavailable)
            {
                return ApiErrorResult.Unavailable(RuntimeStatus.UnavailableMessage);
            }

            if (!SessionCommands.IsLost(e) || context.HttpContext.GetRouteValue("id") is not string id)
            {
                throw;
            }

            LogSandboxLost(logger, id, e.ContainerId, e.Problem);

            return ApiErrorResult.Conflict(await commands.FailLostSandboxAsync(id, e));
        }
    }

    [LoggerMessage(EventId = 4200, Level = LogLevel.Warning,
        Message = "Session {SessionId} lost its sandbox {ContainerId}: {Problem}")]
    private static partial void LogSandboxLost(ILogger logger, string sessionId, string containerId, SandboxProblem problem);
}
