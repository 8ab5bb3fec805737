using System.Net;
using System.Security.Cryptography;
using Berth.Api.Tests.Fixtures;

namespace Berth.Api.Tests.Sessions;

public sealed class SessionFileTests(DockerApiServer server) : IClassFixture<DockerApiServer>
{
    [Theory]
    [InlineData(17 * 1024)]
    [InlineData(18 * 1024)]
    [InlineData(1024 * 1024)]
    public async Task Files_RoundTripWithTheSameSha256(int size)
    {
        using var client = await server.NewClientAsync();
        var id = await client.ReadySessionAsync(await client.CreateEnvironmentAsync());
        var bytes = RandomNumberGenerator.GetBytes(size);

        var put = await client.PutAsync($"/v1/sessions/{id}/files?path=dir/sub/blob.bin", new ByteArrayContent(bytes));
        var written = await put.ReadJsonAsync();
        var back = await client.GetByteArrayAsync($"/v1/sessions/{id}/files?path=/workspace/dir/sub/blob.bin");

        Assert.Equal(HttpStatusCode.Created, put.StatusCode);
        Assert.Equal("/workspace/dir/sub/blob.bin", written.GetProperty("path").GetString());
        Assert.Equal(size, written.GetProperty("size").GetInt64());
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(bytes)), written.GetProperty("sha256").GetString());
        Assert.Equal(bytes, back);
    }

    [Fact]
    public async Task Directory_IsListed()
    {
        using var client = await server.NewClientAsync();
        var id = await client.ReadySessionAsync(await client.CreateEnvironmentAsync());
        await client.PutAsync($"/v1/sessions/{id}/files?path=listing/a.txt", new StringContent("abc"));
        await client.ExecAsync(id, new { command = "mkdir -p /workspace/listing/sub && ln -s a.txt /workspace/listing/link" });

        var listing = await (await client.GetAsync($"/v1/sessions/{id}/files?path=listing")).ReadJsonAsync();

        var entries = listing.GetProperty("entries").EnumerateArray().ToDictionary(e => e.GetProperty("name").GetString()!);
        Assert.Equal("/workspace/listing", listing.GetProperty("path").GetString());
        Assert.Equal("file", entries["a.txt"].GetProperty("type").GetString());
        Assert.Equal(3, entries["a.txt"].GetProperty("size").GetInt64());
        Assert.Equal("directory", entries["sub"].GetProperty("type").GetString());
        Assert.Equal("symlink", entries["link"].GetProperty("type").GetString());
        Assert.Matches(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$", entries["a.txt"].GetProperty("modified_at").GetString());
    }

    [Fact]
    public async Task Delete_RemovesAFileAndRefusesAFullDirectory()
    {
        using var client = await server.NewClientAsync();
        var id = await client.ReadySessionAsync(await client.CreateEnvironmentAsync());
        await client.PutAsync($"/v1/sessions/{id}/files?path=d/f.txt", new StringContent("x"));

        var full = await client.DeleteAsync($"/v1/sessions/{id}/files?path=d");
        var file = await client.DeleteAsync($"/v1/sessions/{id}/files?path=d/f.txt");
        var empty = await client.DeleteAsync($"/v1/sessions/{id}/files?path=d");
        var gone = await client.GetAsync($"/v1/sessions/{id}/files?path=d/f.txt");

        await full.AssertErrorAsync(409, "conflict_error", "path");
        Assert.Equal(HttpStatusCode.OK, file.StatusCode);
        Assert.Equal(HttpStatusCode.OK, empty.StatusCode);
        await gone.AssertErrorAsync(404, "not_found_error");
    }

    [Fact]
    public async Task MissingPath_Returns404AndNoPathParameterReturns400()
    {
        using var client = await server.NewClientAsync();
        var id = await client.ReadySessionAsync(await client.CreateEnvironmentAsync());

        await (await client.GetAsync($"/v1/sessions/{id}/files?path=/no/such/file")).AssertErrorAsync(404, "not_found_error");
        await (await client.DeleteAsync($"/v1/sessions/{id}/files?path=/no/such/file")).AssertErrorAsync(404, "not_found_error");
        await (await client.GetAsync($"/v1/sessions/{id}/files")).AssertErrorAsync(400, "invalid_request_error", "path");
        await (await client.GetAsync($"/v1/sessions/{id}/files?path=a&path=b")).AssertErrorAsync(400, "invalid_request_error", "path");
        await (await client.DeleteAsync($"/v1/sessions/{id}/files?path=/workspace/")).AssertErrorAsync(400, "invalid_request_error", "path");
        await (await client.DeleteAsync($"/v1/sessions/{id}/files?path=/")).AssertErrorAsync(400, "invalid_request_error", "path");
    }

    [Fact]
    public async Task Devices_AreNeitherReplacedNorDeletedNorDownloaded_AndDirectoriesNotOverwritten()
    {
        using var client = await server.NewClientAsync();
        var id = await client.ReadySessionAsync(await client.CreateEnvironmentAsync());
        await client.ExecAsync(id, new { command = "mkdir -p /workspace/adir" });

        var putDevice = await client.PutAsync($"/v1/sessions/{id}/files?path=/dev/null", new StringContent("x"));
        var deleteDevice = await client.DeleteAsync($"/v1/sessions/{id}/files?path=/dev/null");
        var getDevice = await client.GetAsync($"/v1/sessions/{id}/files?path=/dev/zero");
        var putDirectory = await client.PutAsync($"/v1/sessions/{id}/files?path=adir", new StringContent("x"));
        var afterwards = await client.ExecAsync(id, new { command = "[ -c /dev/null ] && [ -d /workspace/adir ] && echo intact" });

        var error = await putDevice.AssertErrorAsync(400, "invalid_request_error", "path");
        Assert.Contains("not a regular file", error.GetProperty("message").GetString());
        error = await deleteDevice.AssertErrorAsync(400, "invalid_request_error", "path");
        Assert.Contains("is a device", error.GetProperty("message").GetString());
        error = await getDevice.AssertErrorAsync(400, "invalid_request_error", "path");
        Assert.Contains("not a file", error.GetProperty("message").GetString());
        error = await putDirectory.AssertErrorAsync(400, "invalid_request_error", "path");
        Assert.Contains("is a directory", error.GetProperty("message").GetString());
        Assert.Equal("intact\n", afterwards.GetProperty("stdout").GetString());
    }

    [Fact]
    public async Task PathsLongerThanLinuxAllowsOrNamingDirectories_Return400AndCreateNothing()
    {
        using var client = await server.NewClientAsync();
        var id = await client.ReadySessionAsync(await client.CreateEnvironmentAsync());
        var longName = new string('a', 300);
        var longPath = string.Concat(Enumerable.Repeat("abcdefgh/", 600));

        await (await client.GetAsync($"/v1/sessions/{id}/files?path={longName}")).AssertErrorAsync(400, "invalid_request_error", "path");
        await (await client.DeleteAsync($"/v1/sessions/{id}/files?path={longName}")).AssertErrorAsync(400, "invalid_request_error", "path");
        await (await client.PutAsync($"/v1/sessions/{id}/files?path={longPath}x", new StringContent("x")))
            .AssertErrorAsync(400, "invalid_request_error", "path");
        await (await client.PutAsync($"/v1/sessions/{id}/files?path=pp1/pp2/", new StringContent("x")))
            .AssertErrorAsync(400, "invalid_request_error", "path");
        await (await client.PutAsync($"/v1/sessions/{id}/files?path=pp3/pp4/.", new StringContent("x")))
            .AssertErrorAsync(400, "invalid_request_error", "path");
        var left = await client.ExecAsync(id, new { command = "ls /workspace" });
        Assert.Equal("", left.GetProperty("stdout").GetString());
    }
}
