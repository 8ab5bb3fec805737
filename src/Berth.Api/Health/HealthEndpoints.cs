namespace Berth.Api.Health;

/// <summary>The state of the server and what it depends on.</summary>
public sealed record HealthReport(string Status, string Store, string Runtime);

/// <summary>Maps <c>GET /healthz</c>, the one route without authentication.</summary>
public static class HealthEndpoints
{
    public static IEndpointRouteBuilder MapHealthApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/healthz", GetHealthAsync)
            .WithName("GetHealth")
            .WithSummary("Whether the server, its store and its container runtime are working.")
            .WithTags("Health");

        return endpoints;
    }

    private static async Task<Microsoft.AspNetCore.Http.HttpResults.Ok<HealthReport>> GetHealthAsync(
        Storage.Sqlite.SqliteDatabase database, Runtime.RuntimeProbe runtime, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var availability = await runtime.PingAsync(cancellationToken);

        return TypedResults.Ok(new HealthReport("ok", "ok", availability.IsAvailable ? "ok" : "unavailable"));
    }
}
