using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Berth.Api.Hosting;
using Berth.Core.Accounts;
using Berth.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace Berth.Api.Tests.Fixtures;

/// <summary>A real Berth API host on a loopback port with a fresh SQLite store, shared by a test class.</summary>
public class ApiServer : IAsyncLifetime
{
    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), "berth-api-tests-" + Guid.NewGuid().ToString("N"));
    private WebApplication? _app;

    public Uri BaseAddress { get; private set; } = null!;

    public IServiceProvider Services => _app!.Services;

    public async Task InitializeAsync()
    {
        _app = BerthServer.Build([
            "--Urls=http://127.0.0.1:0",
            $"--Store:DataDirectory={_dataDirectory}",
            .. RuntimeSettings(_dataDirectory),
        ]);
        await _app.PrepareStoreAsync(CancellationToken.None);
        await _app.StartAsync();
        var address = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        BaseAddress = new Uri(address);
    }

    /// <summary>
    /// No container runtime by default: most tests are about the API, which must work without
    /// one. Builds then stay pending, as the contract says.
    /// </summary>
    protected virtual IEnumerable<string> RuntimeSettings(string dataDirectory) =>
        [$"--Runtime:DockerEndpoint=unix://{dataDirectory}/no-docker.sock"];

    /// <summary>Removes what the server left outside its data folder.</summary>
    protected virtual Task CleanUpAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await CleanUpAsync();
            await _app.DisposeAsync();
        }

        Directory.Delete(_dataDirectory, recursive: true);
    }

    /// <summary>A token for a new account of its own, so that what a test lists is only what it made.</summary>
    public async Task<string> NewTokenAsync(Role role = Role.Admin, string? account = null)
    {
        var tokens = Services.GetRequiredService<TokenStore>();
        var (_, secret) = await tokens.CreateAsync(account ?? "acct-" + Guid.NewGuid().ToString("N"), role, "test", null, CancellationToken.None);

        return secret;
    }

    public HttpClient Client(string? token)
    {
        var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        if (token is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return client;
    }

    public async Task<HttpClient> NewClientAsync(Role role = Role.Admin) => Client(await NewTokenAsync(role));
}

/// <summary>Conveniences for JSON over HTTP in tests.</summary>
public static class TestHttp
{
    public static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    public static async Task<JsonElement> ReadJsonAsync(this HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        using var document = JsonDocument.Parse(text);

        return document.RootElement.Clone();
    }

    public static Task<HttpResponseMessage> PostJsonAsync(this HttpClient client, string path, string json) =>
        client.PostAsync(path, Json(json));

    public static async Task<JsonElement> CreateEnvironmentAsync(this HttpClient client, string? name = null, string config = """{"type":"cloud"}""")
    {
        var body = JsonSerializer.Serialize(new { name = name ?? "env-" + Guid.NewGuid().ToString("N")[..8] });
        body = body[..^1] + $",\"config\":{config}}}";
        var response = await client.PostAsync("/v1/environments", Json(body));
        Assert.Equal(System.Net.HttpStatusCode.Created, response.StatusCode);

        return await response.ReadJsonAsync();
    }

    /// <summary>Asserts the error envelope and returns its <c>error</c> object.</summary>
    public static async Task<JsonElement> AssertErrorAsync(this HttpResponseMessage response, int status, string type, string? param = null)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(status == (int)response.StatusCode, $"Expected {status}, got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        using var document = JsonDocument.Parse(text);
        var root = document.RootElement;
        Assert.Equal(["type", "request_id", "error"], root.EnumerateObject().Select(p => p.Name));
        Assert.Equal("error", root.GetProperty("type").GetString());
        Assert.Equal(response.Headers.GetValues("x-request-id").Single(), root.GetProperty("request_id").GetString());
        var error = root.GetProperty("error");
        Assert.Equal(type, error.GetProperty("type").GetString());
        Assert.False(string.IsNullOrWhiteSpace(error.GetProperty("message").GetString()));
        if (param is null)
        {
            Assert.False(error.TryGetProperty("param", out _), $"Expected no param: {text}");
        }
        else
        {
            Assert.True(error.TryGetProperty("param", out var actual), $"Expected param {param}: {text}");
            Assert.Equal(param, actual.GetString());
        }

        return error.Clone();
    }
}

public static class ServerExtensions
{
    public static T Get<T>(this ApiServer server) where T : notnull => server.Services.GetRequiredService<T>();
}
