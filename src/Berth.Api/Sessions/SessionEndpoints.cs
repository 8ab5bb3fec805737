using Berth.Api.Auth;
using Berth.Api.Errors;
using Berth.Api.Http;
using Berth.Api.Paging;
using Berth.Core.Sessions;
using Berth.Storage;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Berth.Api.Sessions;

/// <summary>The session routes: create, list, get, terminate and delete.</summary>
public static class SessionEndpoints
{
    private static readonly string[] Statuses =
        [SessionStatus.Provisioning, SessionStatus.Idle, SessionStatus.Running, SessionStatus.Terminated, SessionStatus.Failed];

    public static IEndpointRouteBuilder MapSessionsApi(this IEndpointRouteBuilder api)
    {
        var group = api.MapGroup("/sessions").WithTags("Sessions")
            .AddEndpointFilter<RuntimeRequiredFilter>()
            .AddEndpointFilter<LostSandboxFilter>();

        group.MapPost("/", CreateAsync)
            .WithName("CreateSession")
            .WithSummary("Start a session: a sandbox from the environment's current configuration.");
        group.MapGet("/", ListAsync)
            .WithName("ListSessions")
            .WithSummary("List sessions, newest first; terminated ones only with include_terminated=true.");
        group.MapGet("/{id}", GetAsync)
            .WithName("GetSession")
            .WithSummary("Get one session.");
        group.MapPost("/{id}/terminate", TerminateAsync)
            .WithName("TerminateSession")
            .WithSummary("Stop the session and remove its sandbox; works in every state and twice.");
        group.MapDelete("/{id}", DeleteAsync)
            .WithName("DeleteSession")
            .WithSummary("Terminate the session if needed and delete it.");
        group.MapSessionCommandsApi();
        group.MapSessionFilesApi();
        group.MapSessionEventsApi();
        group.MapSessionEgressApi();

        return api;
    }

    private static async Task<Results<Created<SessionResponse>, ApiErrorResult>> CreateAsync(
        HttpContext httpContext, SessionLifecycle lifecycle, CancellationToken cancellationToken)
    {
        var read = await JsonBody.ReadObjectAsync(httpContext.Request, cancellationToken);
        if (!read.IsValid)
        {
            return ApiErrorResult.Invalid(read.Error);
        }

        using var body = read.Value;
        var draft = SessionRequests.ParseCreate(body.RootElement);
        if (!draft.IsValid)
        {
            return ApiErrorResult.Invalid(draft.Error);
        }

        var outcome = await lifecycle.CreateAsync(httpContext.GetCaller(), draft.Value, cancellationToken);

        return outcome.Status switch
        {
            MutationStatus.Done => TypedResults.Created($"/v1/sessions/{outcome.Value!.Id}", SessionResponse.From(outcome.Value)),
            MutationStatus.NotFound => ApiErrorResult.NotFound($"No environment with id '{draft.Value.EnvironmentId}' exists in this account."),
            _ => ApiErrorResult.Invalid(outcome.Error!),
        };
    }

    private static async Task<Results<Ok<ListResponse<SessionResponse>>, ApiErrorResult>> ListAsync(
        HttpContext httpContext, SessionStore sessions, CancellationToken cancellationToken)
    {
        var query = httpContext.Request.Query;
        var page = ListParameters.Parse(query);
        var includeTerminated = ListParameters.Flag(query, "include_terminated");
        var status = query["status"].ToString() is { Length: > 0 } s ? s : null;
        var environmentId = query["environment_id"].ToString() is { Length: > 0 } e ? e : null;
        if (!page.IsValid || !includeTerminated.IsValid)
        {
            return ApiErrorResult.Invalid((page.Error ?? includeTerminated.Error)!);
        }

        if (status is not null && !Statuses.Contains(status))
        {
            return ApiErrorResult.Invalid($"status must be one of {string.Join(", ", Statuses)}.", "status");
        }

        var found = await sessions.ListAsync(httpContext.GetCaller().Account, page.Value, environmentId, status,
            includeTerminated.Value, cancellationToken);
        var response = new Core.Paging.Page<SessionResponse>(
            found.Items.Select(SessionResponse.From).ToList(), found.HasMore, found.TowardsNewer);

        return TypedResults.Ok(ListParameters.ToResponse(response, session => session.Id));
    }

    private static async Task<Results<Ok<SessionResponse>, ApiErrorResult>> GetAsync(
        string id, HttpContext httpContext, SessionStore sessions, CancellationToken cancellationToken)
    {
        var session = await sessions.GetAsync(id, cancellationToken);

        return session is null || session.Account != httpContext.GetCaller().Account
            ? NotFound(id)
            : TypedResults.Ok(SessionResponse.From(session));
    }

    private static async Task<Results<Ok<SessionResponse>, ApiErrorResult>> TerminateAsync(
        string id, HttpContext httpContext, SessionLifecycle lifecycle, CancellationToken cancellationToken)
    {
        var session = await lifecycle.TerminateAsync(httpContext.GetCaller(), id, "terminated_by_client", cancellationToken);

        return session is null ? NotFound(id) : TypedResults.Ok(SessionResponse.From(session));
    }

    private static async Task<Results<Ok<SessionDeleted>, ApiErrorResult>> DeleteAsync(
        string id, HttpContext httpContext, SessionLifecycle lifecycle, CancellationToken cancellationToken) =>
        await lifecycle.DeleteAsync(httpContext.GetCaller(), id, cancellationToken)
            ? TypedResults.Ok(new SessionDeleted(id, "session_deleted", true))
            : NotFound(id);

    public static ApiErrorResult NotFound(string id) =>
        ApiErrorResult.NotFound($"No session with id '{id}' exists in this account.");

    public static ApiErrorResult Ended(StoredSession? session) =>
        ApiErrorResult.Conflict($"Session {session?.Id} is {session?.Status}; it has no sandbox any more. Start a new session.");
}

/// <summary>Answers 503 on session routes while no container runtime answers.</summary>
public sealed class RuntimeRequiredFilter(RuntimeStatus runtime) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);

        return await runtime.IsAvailableAsync(context.HttpContext.RequestAborted)
            ? await next(context)
            : ApiErrorResult.Unavailable(RuntimeStatus.UnavailableMessage);
    }
}
