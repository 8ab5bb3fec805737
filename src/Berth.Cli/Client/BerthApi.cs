using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Berth.Cli.Client;

/// <summary>
/// The Berth HTTP API, one method per route. JSON answers come back as the server sent them,
/// so that <c>--json</c> prints exactly the wire's shape.
/// </summary>
internal sealed class BerthApi(ApiConnection connection) : IDisposable
{
    private static readonly MediaTypeWithQualityHeaderValue EventStreamType = new("text/event-stream");

    public Uri Server => connection.Server;

    public Task<ApiResult<JsonElement>> GetHealthAsync(CancellationToken cancellationToken) =>
        connection.SendJsonAsync(HttpMethod.Get, "/healthz", null, cancellationToken);

    public Task<ApiResult<JsonElement>> CreateEnvironmentAsync(JsonObject body, CancellationToken cancellationToken) =>
        connection.SendJsonAsync(HttpMethod.Post, "/v1/environments", body, cancellationToken);

    public Task<ApiResult<JsonElement>> ListEnvironmentsAsync(ListQuery query, CancellationToken cancellationToken) =>
        connection.SendJsonAsync(HttpMethod.Get, query.AppendTo("/v1/environments"), null, cancellationToken);

    public Task<ApiResult<JsonElement>> GetEnvironmentAsync(string id, CancellationToken cancellationToken) =>
        connection.SendJsonAsync(HttpMethod.Get, Environment(id), null, cancellationToken);

    public Task<ApiResult<JsonElement>> UpdateEnvironmentAsync(string id, JsonObject patch, CancellationToken cancellationToken) =>
        connection.SendJsonAsync(HttpMethod.Patch, Environment(id), patch, cancellationToken);

    public Task<ApiResult<JsonElement>> ArchiveEnvironmentAsync(string id, CancellationToken cancellationToken) =>
        connection.SendJsonAsync(HttpMethod.Post, Environment(id) + "/archive", null, cancellationToken);

    public Task<ApiResult<JsonElement>> DeleteEnvironmentAsync(string id, CancellationToken cancellationToken) =>
        connection.SendJsonAsync(HttpMethod.Delete, Environment(id), null, cancellationToken);

    public Task<ApiResult<JsonElement>> GetBuildAsync(string environmentId, CancellationToken cancellationToken) =>
        connection.SendJsonAsync(HttpMethod.Get, Environment(environmentId) + "/build", null, cancellationToken);

    public Task<ApiResult<JsonElement>> StartBuildAsync(string environmentId, bool noCache, CancellationToken cancellationToken) =>
        connection.SendJsonAsync(HttpMethod.Post, Environment(environmentId) + "/build",
            new JsonObject { ["no_cache"] = noCache }, cancellationToken);

    public Task<ApiResult<EventStream>> OpenBuildLogAsync(string environmentId, CancellationToken cancellationToken) =>
        OpenEventsAsync(new HttpRequestMessage(HttpMethod.Get, Environment(environmentId) + "/build/logs"), cancellationToken);

    public Task<ApiResult<JsonElement>> CreateSessionAsync(JsonObject body, CancellationToken cancellationToken) =>
        connection.SendJsonAsync(HttpMethod.Post, "/v1/sessions", body, cancellationToken);

    public Task<ApiResult<JsonElement>> ListSessionsAsync(ListQuery query, CancellationToken cancellationToken) =>
        connection.SendJsonAsync(HttpMethod.Get, query.AppendTo("/v1/sessions"), null, cancellationToken);

    public Task<ApiResult<JsonElement>> GetSessionAsync(string id, CancellationToken cancellationToken) =>
        connection.SendJsonAsync(HttpMethod.Get, Session(id), null, cancellationToken);

    public Task<ApiResult<JsonElement>> TerminateSessionAsync(string id, CancellationToken cancellationToken) =>
        connection.SendJsonAsync(HttpMethod.Post, Session(id) + "/terminate", null, cancellationToken);

    public Task<ApiResult<JsonElement>> DeleteSessionAsync(string id, CancellationToken cancellationToken) =>
        connection.SendJsonAsync(HttpMethod.Delete, Session(id), null, cancellationToken);

    /// <summary>Runs a command and answers once it has ended, with all of its output.</summary>
    public Task<ApiResult<JsonElement>> ExecAsync(string sessionId, JsonObject command, CancellationToken cancellationToken) =>
        connection.SendJsonAsync(HttpMethod.Post, Session(sessionId) + "/exec", command, cancellationToken);

    /// <summary>Runs a command and streams its output as <c>stdout</c>/<c>stderr</c> events, then <c>exit</c>.</summary>
    public Task<ApiResult<EventStream>> OpenExecAsync(string sessionId, JsonObject command, CancellationToken cancellationToken)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, Session(sessionId) + "/exec")
        {
            Content = new StringContent(command.ToJsonString(), System.Text.Encoding.UTF8, "application/json"),
        };

        return OpenEventsAsync(request, cancellationToken);
    }

    public async Task<ApiResult<JsonElement>> UploadFileAsync(
        string sessionId, string path, Stream content, long? length, CancellationToken cancellationToken)
    {
        using var body = new StreamContent(content);
        body.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        body.Headers.ContentLength = length;
        using var request = new HttpRequestMessage(HttpMethod.Put, Files(sessionId, path)) { Content = body };

        return await connection.SendForJsonAsync(request, cancellationToken);
    }

    public async Task<ApiResult<FileDownload>> OpenDownloadAsync(string sessionId, string path, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, Files(sessionId, path));
        var opened = await connection.OpenAsync(request, cancellationToken);

        return opened.TryGetValue(out var response) ? new FileDownload(response) : opened.Error;
    }

    public Task<ApiResult<JsonElement>> ListEventsAsync(string sessionId, ListQuery query, CancellationToken cancellationToken) =>
        connection.SendJsonAsync(HttpMethod.Get, query.AppendTo(Session(sessionId) + "/events"), null, cancellationToken);

    /// <summary>Streams the session's events, resuming after <paramref name="lastEventId"/> when given.</summary>
    public Task<ApiResult<EventStream>> OpenEventStreamAsync(string sessionId, string? lastEventId, CancellationToken cancellationToken)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, Session(sessionId) + "/events/stream");
        if (lastEventId is not null)
        {
            request.Headers.Add("Last-Event-ID", lastEventId);
        }

        return OpenEventsAsync(request, cancellationToken);
    }

    public Task<ApiResult<JsonElement>> ListEgressAsync(string sessionId, ListQuery query, CancellationToken cancellationToken) =>
        connection.SendJsonAsync(HttpMethod.Get, query.AppendTo(Session(sessionId) + "/egress"), null, cancellationToken);

    public void Dispose() => connection.Dispose();

    private async Task<ApiResult<EventStream>> OpenEventsAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        using (request)
        {
            request.Headers.Accept.Add(EventStreamType);
            var opened = await connection.OpenAsync(request, cancellationToken);

            return opened.TryGetValue(out var response) ? new EventStream(response) : opened.Error;
        }
    }

    private static string Environment(string id) => "/v1/environments/" + Uri.EscapeDataString(id);

    private static string Session(string id) => "/v1/sessions/" + Uri.EscapeDataString(id);

    private static string Files(string sessionId, string path) =>
        Session(sessionId) + "/files?path=" + Uri.EscapeDataString(path);
}
