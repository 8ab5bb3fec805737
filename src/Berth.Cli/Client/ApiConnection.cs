using System.Net.Http.Headers;
using System.Reflection;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Berth.Cli.Client;

/// <summary>
/// Sends requests to one Berth server with one token, and turns every way a call can fail
/// (no connection, no answer, an error envelope, an unreadable body) into an <see cref="ApiError"/>.
/// It is the one place that reads the API's error envelope.
/// </summary>
internal sealed class ApiConnection : IDisposable
{
    // Only calls answered at once get a deadline: streams, uploads and downloads last as long
    // as their work does, and Ctrl+C stops them.
    private static readonly TimeSpan AnswerTimeout = TimeSpan.FromSeconds(100);

    private readonly HttpClient _http;

    public ApiConnection(Uri server, string? token)
    {
        Server = server;
        _http = new HttpClient { BaseAddress = server, Timeout = Timeout.InfiniteTimeSpan };
        var version = typeof(ApiConnection).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion;
        _http.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("berth-cli", version?.Split('+')[0] ?? "0"));
        if (token is not null)
        {
            _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
    }

    public Uri Server { get; }

    public async Task<ApiResult<JsonElement>> SendJsonAsync(
        HttpMethod method, string path, JsonNode? body, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
        }

        return await SendForJsonAsync(request, cancellationToken);
    }

    /// <summary>Sends a request whose answer is one JSON document, read whole within the answer timeout.</summary>
    public async Task<ApiResult<JsonElement>> SendForJsonAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (request.Content is not StreamContent)
        {
            deadline.CancelAfter(AnswerTimeout);
        }

        var sent = await SendAsync(request, HttpCompletionOption.ResponseContentRead, deadline.Token, cancellationToken);
        if (!sent.TryGetValue(out var response))
        {
            return sent.Error;
        }

        using (response)
        {
            return await ReadJsonAsync(response, cancellationToken);
        }
    }

    /// <summary>Sends a request and hands back the response as soon as its headers arrive; the caller disposes it.</summary>
    public Task<ApiResult<HttpResponseMessage>> OpenAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
        SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken, cancellationToken);

    public void Dispose() => _http.Dispose();

    private async Task<ApiResult<HttpResponseMessage>> SendAsync(
        HttpRequestMessage request, HttpCompletionOption completion, CancellationToken requestToken,
        CancellationToken callerToken)
    {
        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(request, completion, requestToken);
        }
        catch (HttpRequestException error)
        {
            return ApiError.Unreachable(Server, error.Message);
        }
        catch (OperationCanceledException) when (!callerToken.IsCancellationRequested)
        {
            return ApiError.Unreachable(Server, $"no answer within {AnswerTimeout.TotalSeconds:0} s");
        }

        if (response.IsSuccessStatusCode)
        {
            return response;
        }

        using (response)
        {
            return await ReadErrorAsync(response, callerToken);
        }
    }

    private static async Task<ApiResult<JsonElement>> ReadJsonAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
            using var document = await JsonDocument.ParseAsync(body, cancellationToken: cancellationToken);

            return document.RootElement.Clone();
        }
        catch (JsonException)
        {
            return new ApiError(502, "api_error", "The server answered with a body that is not JSON.", null, RequestIdOf(response));
        }
    }

    private static async Task<ApiError> ReadErrorAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var status = (int)response.StatusCode;
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        try
        {
            using var document = JsonDocument.Parse(text);
            var root = document.RootElement;
            var error = root.GetProperty("error");

            return new ApiError(
                status,
                error.GetProperty("type").GetString() ?? "api_error",
                error.GetProperty("message").GetString() ?? "",
                error.TryGetProperty("param", out var param) ? param.GetString() : null,
                root.TryGetProperty("request_id", out var id) ? id.GetString() : RequestIdOf(response));
        }
        catch (Exception parseError) when (parseError is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            // Not the API's envelope: a proxy in between, or not a Berth server at all.
            var reason = $"HTTP {status} {response.ReasonPhrase} from a server that did not answer in the Berth API's error format.";

            return ApiError.Local(status, reason) with { RequestId = RequestIdOf(response) };
        }
    }

    private static string? RequestIdOf(HttpResponseMessage response) =>
        response.Headers.TryGetValues("x-request-id", out var values) ? values.FirstOrDefault() : null;
}
