using System.Net;
using System.Text;
using Berth.Api.Tests.Fixtures;

namespace Berth.Api.Tests.Conventions;

public sealed class ProtocolTests(ApiServer server) : IClassFixture<ApiServer>
{
    [Fact]
    public async Task UnknownRoute_Returns404Envelope()
    {
        using var client = await server.NewClientAsync();

        var response = await client.GetAsync("/v1/nothing-here");

        await response.AssertErrorAsync(404, "not_found_error");
    }

    [Fact]
    public async Task WrongMethod_Returns405InvalidRequest()
    {
        using var client = await server.NewClientAsync();

        var response = await client.DeleteAsync("/v1/environments");

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        await response.AssertErrorAsync(405, "invalid_request_error");
    }

    [Fact]
    public async Task RequestId_FromClient_IsEchoedInHeaderAndErrorBody()
    {
        using var client = await server.NewClientAsync();
        client.DefaultRequestHeaders.Add("x-request-id", "my-trace-42");

        var response = await client.GetAsync("/v1/environments/env_missing");

        await response.AssertErrorAsync(404, "not_found_error");
        Assert.Equal("my-trace-42", response.Headers.GetValues("x-request-id").Single());
    }

    [Fact]
    public async Task RequestId_WhenAbsent_IsAUuidOnEveryResponse()
    {
        using var client = await server.NewClientAsync();

        var response = await client.GetAsync("/v1/environments");

        Assert.True(Guid.TryParse(response.Headers.GetValues("x-request-id").Single(), out _));
    }

    [Fact]
    public async Task RequestId_TooLong_IsReplaced()
    {
        using var client = await server.NewClientAsync();
        client.DefaultRequestHeaders.Add("x-request-id", new string('a', 129));

        var response = await client.GetAsync("/v1/environments");

        Assert.True(Guid.TryParse(response.Headers.GetValues("x-request-id").Single(), out _));
    }

    [Fact]
    public async Task CloudPrefix_ServesTheSameRoutes()
    {
        using var client = await server.NewClientAsync();

        var created = await client.PostJsonAsync("/api/v1/cloud/environments", """{"name":"aliased","config":{"type":"cloud"}}""");
        var id = (await created.ReadJsonAsync()).GetProperty("id").GetString();
        var viaV1 = await client.GetAsync($"/v1/environments/{id}");

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal(HttpStatusCode.OK, viaV1.StatusCode);
        await (await client.GetAsync("/api/v1/cloud/nothing")).AssertErrorAsync(404, "not_found_error");
    }

    [Fact]
    public async Task Create_WithMalformedJson_Returns400()
    {
        using var client = await server.NewClientAsync();

        var response = await client.PostJsonAsync("/v1/environments", """{"name": "x", """);

        await response.AssertErrorAsync(400, "invalid_request_error");
    }

    [Theory]
    [InlineData("[]")]
    [InlineData("\"text\"")]
    [InlineData("42")]
    [InlineData("null")]
    [InlineData("")]
    public async Task Create_WithBodyThatIsNotAnObject_Returns400(string body)
    {
        using var client = await server.NewClientAsync();

        var response = await client.PostJsonAsync("/v1/environments", body);

        await response.AssertErrorAsync(400, "invalid_request_error");
    }

    [Fact]
    public async Task Create_WithoutContentType_IsAccepted()
    {
        using var client = await server.NewClientAsync();
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes("""{"name":"plain","config":{"type":"cloud"}}"""));

        var response = await client.PostAsync("/v1/environments", content);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    [Fact]
    public async Task Create_WithTextPlainContentType_IsAccepted()
    {
        using var client = await server.NewClientAsync();
        var content = new StringContent("""{"name":"plain","config":{"type":"cloud"}}""", Encoding.UTF8, "text/plain");

        var response = await client.PostAsync("/v1/environments", content);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    [Fact]
    public async Task Create_WithBodyOver32MiB_Returns400WithoutResettingTheConnection()
    {
        using var client = await server.NewClientAsync();
        var padding = new string(' ', 33 * 1024 * 1024);
        var content = new StringContent("{\"name\":\"big\",\"config\":{\"type\":\"cloud\"}" + padding + "}", Encoding.UTF8, "application/json");

        var response = await client.PostAsync("/v1/environments", content);

        var error = await response.AssertErrorAsync(400, "invalid_request_error");
        Assert.Contains("32 MiB", error.GetProperty("message").GetString());
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/v1/environments")).StatusCode);
    }

    [Fact]
    public async Task Create_WithChunkedBodyOver32MiB_Returns400()
    {
        using var client = await server.NewClientAsync();
        var stream = new MemoryStream(Encoding.UTF8.GetBytes("{\"name\":\"" + new string('x', 33 * 1024 * 1024) + "\"}"));
        var content = new StreamContent(stream);
        content.Headers.ContentLength = null;
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/environments") { Content = content };
        request.Headers.TransferEncodingChunked = true;

        var response = await client.SendAsync(request);

        await response.AssertErrorAsync(400, "invalid_request_error");
    }

    [Fact]
    public async Task UnknownQueryParameters_AreIgnored()
    {
        using var client = await server.NewClientAsync();

        var response = await client.GetAsync("/v1/environments?beta=true&whatever=1");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task OpenApiDocument_ListsEnvironmentRoutes()
    {
        using var client = server.Client(null);

        var document = await (await client.GetAsync("/openapi/v1.json")).ReadJsonAsync();

        var paths = document.GetProperty("paths");
        Assert.True(paths.TryGetProperty("/v1/environments", out _));
        Assert.True(paths.TryGetProperty("/v1/environments/{id}", out var item));
        Assert.True(item.TryGetProperty("patch", out _));
        Assert.True(item.TryGetProperty("delete", out _));
    }

    [Fact]
    public async Task DocsPage_IsServed()
    {
        using var client = server.Client(null);

        var response = await client.GetAsync("/docs");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("text/html", response.Content.Headers.ContentType?.MediaType);
    }
}
