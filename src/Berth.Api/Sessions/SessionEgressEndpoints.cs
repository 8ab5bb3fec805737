using System.Text.Json;
using Berth.Api.Auth;
using Berth.Api.Errors;
using Berth.Api.Http;
using Berth.Api.Paging;
using Berth.Core;
using Berth.Core.Paging;
using Berth.Storage;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Berth.Api.Sessions;

/// <summary>A session's network decisions: every host its sandbox reached or was refused, newest first.</summary>
public static class SessionEgressEndpoints
{
    private const string EgressEventPrefix = "egress.";

    public static RouteGroupBuilder MapSessionEgressApi(this RouteGroupBuilder sessions)
    {
        sessions.MapGet("/{id}/egress", ListAsync)
            .WithName("ListSessionEgress")
            .WithSummary("List the egress gateway's decisions for the session's sandbox, newest first.");

        return sessions;
    }

    private static async Task<Results<Ok<ListResponse<EgressEntry>>, ApiErrorResult>> ListAsync(
        string id, HttpContext httpContext, SessionStore sessions, CancellationToken cancellationToken)
    {
        var session = await sessions.GetAsync(id, cancellationToken);
        if (session is null || session.Account != httpContext.GetCaller().Account)
        {
            return SessionEndpoints.NotFound(id);
        }

        var page = ListParameters.Parse(httpContext.Request.Query);
        if (!page.IsValid)
        {
            return ApiErrorResult.Invalid(page.Error);
        }

        var found = await sessions.ListEventsAsync(id, page.Value, ascending: false, EgressEventPrefix, cancellationToken);
        var entries = new Page<EgressEntry>([.. found.Items.Select(EgressEntry.From)], found.HasMore, found.TowardsNewer);

        return TypedResults.Ok(ListParameters.ToResponse(entries, entry => entry.Id));
    }
}

/// <summary>One decision of the egress gateway, as <c>GET /v1/sessions/{id}/egress</c> lists it.</summary>
public sealed record EgressEntry(string Id, string Time, string Host, int Port, string Protocol, string Verdict, string Rule)
{
    public static EgressEntry From(StoredEvent entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var data = JsonSerializer.Deserialize(entry.DataJson, SessionJsonContext.Default.EgressEventData)
            ?? throw new InvalidOperationException($"Event {entry.Id} has no egress data.");

        return new EgressEntry(
            entry.Id, Timestamps.Format6(entry.CreatedAt), data.Host, data.Port, data.Protocol, data.Verdict, data.Rule);
    }
}
