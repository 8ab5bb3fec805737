using System.Text.Json;
using Berth.Api.Auth;
using Berth.Api.Errors;
using Berth.Api.Http;
using Berth.Api.Paging;
using Berth.Core.Ids;
using Berth.Core.Paging;
using Berth.Storage;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace Berth.Api.Sessions;

/// <summary>A session's events: listed oldest first, or streamed live with resume and heartbeats.</summary>
public static class SessionEventEndpoints
{
    public static RouteGroupBuilder MapSessionEventsApi(this RouteGroupBuilder sessions)
    {
        sessions.MapGet("/{id}/events", ListAsync)
            .WithName("ListSessionEvents")
            .WithSummary("List the session's events, oldest first (order=desc for newest first).");
        sessions.MapGet("/{id}/events/stream", StreamAsync)
            .WithName("StreamSessionEvents")
            .WithSummary("Stream the session's events as server-sent events; resumes after Last-Event-ID.");

        return sessions;
    }

    private static async Task<Results<Ok<ListResponse<EventResponse>>, ApiErrorResult>> ListAsync(
        string id, HttpContext httpContext, SessionStore sessions, CancellationToken cancellationToken)
    {
        var session = await sessions.GetAsync(id, cancellationToken);
        if (session is null || session.Account != httpContext.GetCaller().Account)
        {
            return SessionEndpoints.NotFound(id);
        }

        var query = httpContext.Request.Query;
        var page = ListParameters.Parse(query);
        if (!page.IsValid)
        {
            return ApiErrorResult.Invalid(page.Error);
        }

        var order = query["order"].ToString();
        if (order is not ("" or "asc" or "desc"))
        {
            return ApiErrorResult.Invalid("order must be asc or desc.", "order");
        }

        var found = await sessions.ListEventsAsync(id, page.Value, ascending: order != "desc", typePrefix: null, cancellationToken);
        var response = new Page<EventResponse>(found.Items.Select(EventResponse.From).ToList(), found.HasMore, found.TowardsNewer);

        return TypedResults.Ok(ListParameters.ToResponse(response, entry => entry.Id));
    }

    private static async Task<IResult> StreamAsync(
        string id, HttpContext httpContext, SessionStore sessions, SessionEvents events,
        IOptions<SessionSettings> options, CancellationToken cancellationToken)
    {
        var session = await sessions.GetAsync(id, cancellationToken);
        if (session is null || session.Account != httpContext.GetCaller().Account)
        {
            return SessionEndpoints.NotFound(id);
        }

        var lastId = httpContext.Request.Headers["Last-Event-ID"].ToString() is { Length: > 0 } header
            ? header
            : httpContext.Request.Query["last_event_id"].ToString() is { Length: > 0 } query ? query : null;
        if (lastId is not null && !IdPrefixes.IsWellFormed(lastId, IdPrefixes.Event))
        {
            return ApiErrorResult.Invalid($"Last-Event-ID must be an event id ({IdPrefixes.Event}_ and 32 hex digits), as the stream sends them.");
        }

        var stream = await ServerSentEvents.StartAsync(httpContext.Response, cancellationToken);
        try
        {
            await PumpAsync(id, lastId, stream, sessions, events, options.Value.EventHeartbeat, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The client went away.
        }

        return TypedResults.Empty;
    }

    /// <summary>Sends stored events after <paramref name="lastId"/>, then new ones as they come, until the session is over.</summary>
    private static async Task PumpAsync(
        string id, string? lastId, ServerSentEvents stream, SessionStore sessions, SessionEvents events,
        TimeSpan heartbeat, CancellationToken cancellationToken)
    {
        while (true)
        {
            // Asking for the signal before reading means an event stored meanwhile is never missed.
            var next = events.NextAsync(id);
            var page = await sessions.ListEventsAsync(id, new PageRequest(PageRequest.MaxLimit, AfterId: lastId), ascending: true, typePrefix: null, cancellationToken);
            foreach (var entry in page.Items)
            {
                var data = JsonSerializer.Serialize(EventResponse.From(entry), ApiJsonContext.Default.EventResponse);
                await stream.SendAsync(entry.Id, entry.Type, data, cancellationToken);
                lastId = entry.Id;
            }

            if (page.HasMore)
            {
                continue;
            }

            if ((await sessions.GetAsync(id, cancellationToken))?.IsEnded != false)
            {
                return;
            }

            var woke = await Task.WhenAny(next, Task.Delay(heartbeat, cancellationToken));
            if (woke != next)
            {
                cancellationToken.ThrowIfCancellationRequested();
                await stream.SendCommentAsync("heartbeat", cancellationToken);
            }
        }
    }
}
