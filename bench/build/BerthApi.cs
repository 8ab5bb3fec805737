using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace Berth.Bench.Build;

/// <summary>An environment's build as <c>GET /v1/environments/{id}/build</c> returns it.</summary>
internal sealed record BuildState(
    string Status, string? Cache, string? Image, string? ConfigHash, long? DurationMs, string? Error, string? LogTail)
{
    public bool IsFinished => Status is "ready" or "failed";
}

/// <summary>The two calls of the environments API the bench makes, over one kept-alive connection.</summary>
internal sealed class BerthApi : IDisposable
{
    // Short enough not to add much to a build's wall time, long enough not to load the server.
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(50);

    private readonly HttpClient _http;

    public BerthApi(Uri address, string token)
    {
        _http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 1 })
        {
            BaseAddress = address,
            Timeout = TimeSpan.FromSeconds(30),
        };
        _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
    }

    /// <summary>Creates an environment, which starts its build (or finds it done); returns its id.</summary>
    public async Task<string> CreateEnvironmentAsync(
        BuildConfiguration config, string name, CancellationToken cancellationToken)
    {
        using var response = await _http.PostAsJsonAsync(
            new Uri("/v1/environments", UriKind.Relative), config.EnvironmentBody(name), cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        if (response.StatusCode != HttpStatusCode.Created)
        {
            throw new BenchFailedException($"POST /v1/environments answered {(int)response.StatusCode}: {body}");
        }

        using var document = JsonDocument.Parse(body);

        return document.RootElement.GetProperty("id").GetString()
            ?? throw new BenchFailedException($"POST /v1/environments answered without an id: {body}");
    }

    public async Task<BuildState> GetBuildAsync(string environmentId, CancellationToken cancellationToken)
    {
        using var response = await _http.GetAsync(
            new Uri($"/v1/environments/{environmentId}/build", UriKind.Relative), cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            throw new BenchFailedException(
                $"GET build of {environmentId} answered {(int)response.StatusCode}: {body}");
        }

        using var document = JsonDocument.Parse(body);
        var root = document.RootElement;

        return new BuildState(
            root.GetProperty("status").GetString() ?? "",
            StringOrNull(root, "cache"),
            StringOrNull(root, "image"),
            StringOrNull(root, "config_hash"),
            root.TryGetProperty("duration_ms", out var duration) && duration.ValueKind == JsonValueKind.Number
                ? duration.GetInt64()
                : null,
            root.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.Object
                ? error.GetRawText()
                : null,
            StringOrNull(root, "log_tail"));
    }

    /// <summary>Asks for the build until it is ready or failed; gives up after <paramref name="timeout"/>.</summary>
    public async Task<BuildState> WaitForBuildAsync(
        string environmentId, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var build = await GetBuildAsync(environmentId, cancellationToken);
            if (build.IsFinished)
            {
                return build;
            }

            if (clock.Elapsed > timeout)
            {
                throw new BenchFailedException(
                    $"The build of {environmentId} was still {build.Status} after {timeout.TotalSeconds:0} s.");
            }

            await Task.Delay(PollInterval, cancellationToken);
        }
    }

    public void Dispose() => _http.Dispose();

    private static string? StringOrNull(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;
}
