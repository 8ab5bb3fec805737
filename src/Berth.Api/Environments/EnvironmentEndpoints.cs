using Berth.Api.Auth;
using Berth.Api.Errors;
using Berth.Api.Http;
using Berth.Api.Paging;
using Berth.Core.Environments;
using Berth.Storage;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Berth.Api.Environments;

/// <summary>The environments routes: create, list, get, update, archive and delete.</summary>
public static class EnvironmentEndpoints
{
    public static IEndpointRouteBuilder MapEnvironmentsApi(this IEndpointRouteBuilder api)
    {
        var group = api.MapGroup("/environments").WithTags("Environments");

        group.MapPost("/", CreateAsync)
            .WithName("CreateEnvironment")
            .WithSummary("Create an environment and queue the build of its image.");
        group.MapGet("/", ListAsync)
            .WithName("ListEnvironments")
            .WithSummary("List environments, newest first; archived ones only with include_archived=true.");
        group.MapGet("/{id}", GetAsync)
            .WithName("GetEnvironment")
            .WithSummary("Get one environment, archived or not.");
        group.MapMethods("/{id}", ["PUT", "POST", "PATCH"], UpdateAsync)
            .WithName("UpdateEnvironment")
            .WithSummary("Change an environment; omitted fields are kept and a new config becomes a new version.");
        group.MapPost("/{id}/archive", ArchiveAsync)
            .WithName("ArchiveEnvironment")
            .WithSummary("Archive an environment: running sessions go on, new ones are refused.");
        group.MapDelete("/{id}", DeleteAsync)
            .WithName("DeleteEnvironment")
            .WithSummary("Delete an environment that no live session uses (admin only).");

        return api;
    }

    private static async Task<Results<Created<EnvironmentResponse>, ApiErrorResult>> CreateAsync(
        HttpContext httpContext, EnvironmentService environments, CancellationToken cancellationToken)
    {
        var read = await JsonBody.ReadObjectAsync(httpContext.Request, cancellationToken);
        if (!read.IsValid)
        {
            return ApiErrorResult.Invalid(read.Error);
        }

        using var body = read.Value;
        var draft = EnvironmentRequests.ParseCreate(body.RootElement);
        if (!draft.IsValid)
        {
            return ApiErrorResult.Invalid(draft.Error);
        }

        var created = await environments.CreateAsync(httpContext.GetCaller(), draft.Value, cancellationToken);

        return TypedResults.Created($"/v1/environments/{created.Id}", EnvironmentResponse.From(created));
    }

    private static async Task<Results<Ok<ListResponse<EnvironmentResponse>>, ApiErrorResult>> ListAsync(
        HttpContext httpContext, EnvironmentStore store, CancellationToken cancellationToken)
    {
        var query = httpContext.Request.Query;
        var page = ListParameters.Parse(query);
        if (!page.IsValid)
        {
            return ApiErrorResult.Invalid(page.Error);
        }

        var includeArchived = ListParameters.Flag(query, "include_archived");
        if (!includeArchived.IsValid)
        {
            return ApiErrorResult.Invalid(includeArchived.Error);
        }

        var found = await store.ListAsync(
            httpContext.GetCaller().Account, page.Value, includeArchived.Value, cancellationToken);
        var response = new Core.Paging.Page<EnvironmentResponse>(
            found.Items.Select(EnvironmentResponse.From).ToList(), found.HasMore, found.TowardsNewer);

        return TypedResults.Ok(ListParameters.ToResponse(response, environment => environment.Id));
    }

    private static async Task<Results<Ok<EnvironmentResponse>, ApiErrorResult>> GetAsync(
        string id, HttpContext httpContext, EnvironmentStore store, CancellationToken cancellationToken)
    {
        var environment = await store.GetAsync(httpContext.GetCaller().Account, id, cancellationToken);

        return environment is null ? NotFound(id) : TypedResults.Ok(EnvironmentResponse.From(environment));
    }

    private static async Task<Results<Ok<EnvironmentResponse>, ApiErrorResult>> UpdateAsync(
        string id, HttpContext httpContext, EnvironmentService environments, CancellationToken cancellationToken)
    {
        var caller = httpContext.GetCaller();
        var read = await JsonBody.ReadObjectAsync(httpContext.Request, cancellationToken);
        if (!read.IsValid)
        {
            // The resource is looked up before the body is judged: an unknown id is a 404 whatever was sent.
            return await environments.ExistsAsync(caller, id, cancellationToken)
                ? ApiErrorResult.Invalid(read.Error)
                : NotFound(id);
        }

        using var body = read.Value;
        var patch = EnvironmentRequests.ParseUpdate(body.RootElement);
        var outcome = patch.IsValid
            ? await environments.UpdateAsync(caller, id, patch.Value, cancellationToken)
            : await environments.ExistsAsync(caller, id, cancellationToken)
                ? Mutation<StoredEnvironment>.Invalid(patch.Error)
                : Mutation<StoredEnvironment>.NotFound();

        return ToResult(id, outcome);
    }

    private static async Task<Results<Ok<EnvironmentResponse>, ApiErrorResult>> ArchiveAsync(
        string id, HttpContext httpContext, EnvironmentService environments, CancellationToken cancellationToken) =>
        ToResult(id, await environments.ArchiveAsync(httpContext.GetCaller(), id, cancellationToken));

    private static async Task<Results<Ok<EnvironmentDeleted>, ApiErrorResult>> DeleteAsync(
        string id, HttpContext httpContext, EnvironmentService environments, CancellationToken cancellationToken)
    {
        var outcome = await environments.DeleteAsync(httpContext.GetCaller(), id, cancellationToken);

        return outcome.Status switch
        {
            MutationStatus.Done => TypedResults.Ok(new EnvironmentDeleted(id, "environment_deleted", true)),
            MutationStatus.NotFound => NotFound(id),
            _ => ToError(outcome),
        };
    }

    private static Results<Ok<EnvironmentResponse>, ApiErrorResult> ToResult(string id, Mutation<StoredEnvironment> outcome) =>
        outcome.Status switch
        {
            MutationStatus.Done => TypedResults.Ok(EnvironmentResponse.From(outcome.Value!)),
            MutationStatus.NotFound => NotFound(id),
            _ => ToError(outcome),
        };

    private static ApiErrorResult ToError(Mutation<StoredEnvironment> outcome) => outcome.Status == MutationStatus.Conflict
        ? ApiErrorResult.Conflict(outcome.Error!.Message, outcome.Error.Param)
        : ApiErrorResult.Invalid(outcome.Error!);

    private static ApiErrorResult NotFound(string id) =>
        ApiErrorResult.NotFound($"No environment with id '{id}' exists in this account.");
}
