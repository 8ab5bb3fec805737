using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace Berth.Bench.Sessions;

/// <summary>The API calls one measured session makes: create, first command, delete.</summary>
internal sealed class BerthSessions(HttpClient client)
{
    private static readonly StringContent TrueCommand = Json("""{"command":["true"]}""");

    /// <summary>Creates an environment and waits until its image is built; returns its id and image.</summary>
    public async Task<(string Id, string Image)> ReadyEnvironmentAsync(CancellationToken cancellationToken)
    {
        var created = await client.PostAsync("/v1/environments",
            Json("""{"name":"bench-sessions","config":{"type":"cloud"}}"""), cancellationToken);
        var id = (await ReadAsync(created, cancellationToken)).GetProperty("id").GetString()!;
        while (true)
        {
            var build = await ReadAsync(await client.GetAsync($"/v1/environments/{id}/build", cancellationToken), cancellationToken);
            var status = build.GetProperty("status").GetString();
            if (status == "ready")
            {
                return (id, build.GetProperty("image").GetString()!);
            }

            if (status == "failed")
            {
                throw new InvalidOperationException($"The environment's image failed to build: {build}");
            }

            await Task.Delay(250, cancellationToken);
        }
    }

    /// <summary>From the create request to the first command's answer; the session id comes back to delete it.</summary>
    public async Task<(TimeSpan Elapsed, string SessionId)> CreateAndRunFirstAsync(string environmentId, CancellationToken cancellationToken)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var created = await client.PostAsync("/v1/sessions", Json($$"""{"environment_id":"{{environmentId}}"}"""), cancellationToken);
        var id = (await ReadAsync(created, cancellationToken)).GetProperty("id").GetString()!;
        await ExecTrueAsync(id, cancellationToken);

        return (clock.Elapsed, id);
    }

    public async Task ExecTrueAsync(string sessionId, CancellationToken cancellationToken)
    {
        var exec = await client.PostAsync($"/v1/sessions/{sessionId}/exec", TrueCommand, cancellationToken);
        var result = await ReadAsync(exec, cancellationToken);
        if (result.GetProperty("exit_code").GetInt32() != 0)
        {
            throw new InvalidOperationException($"exec true failed in {sessionId}: {result}");
        }
    }

    public async Task DeleteAsync(string sessionId, CancellationToken cancellationToken)
    {
        var deleted = await client.DeleteAsync($"/v1/sessions/{sessionId}", cancellationToken);
        await ReadAsync(deleted, cancellationToken);
    }

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    private static async Task<JsonElement> ReadAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken);
        if (response.StatusCode is not (HttpStatusCode.OK or HttpStatusCode.Created))
        {
            throw new InvalidOperationException($"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri} answered {(int)response.StatusCode}: {body}");
        }

        return body;
    }
}
