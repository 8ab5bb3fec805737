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
    public async Task Files_OneGiB_RoundTripsWithoutTheServerHoldingIt()
    {
        using var client = await server.NewClientAsync();
        client.Timeout = TimeSpan.FromMinutes(10);
        var id = await client.ReadySessionAsync(await client.CreateEnvironmentAsync());
        const long size = 1024L * 1024 * 1024;
        GC.Collect();
        var before = GC.GetTotalMemory(forceFullCollection: true);

        using var upload = new GeneratedStream(size);
        var put = await client.PutAsync($"/v1/sessions/{id}/files?path=big.bin", new StreamContent(upload, 1 << 20));
        var written = await put.ReadJsonAsync();
        var peakAfterUpload = GC.GetTotalMemory(forceFullCollection: false);
        using var response = await client.GetAsync($"/v1/sessions/{id}/files?path=big.bin", HttpCompletionOption.ResponseHeadersRead);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        await using (var body = await response.Content.ReadAsStreamAsync())
        {
            var buffer = new byte[1 << 20];
            int read;
            while ((read = await body.ReadAsync(buffer)) > 0)
            {
                hash.AppendData(buffer, 0, read);
            }
        }

        Assert.Equal(HttpStatusCode.Created, put.StatusCode);
        Assert.Equal(size, written.GetProperty("size").GetInt64());
        Assert.Equal(upload.Sha256, written.GetProperty("sha256").GetString());
        Assert.Equal(upload.Sha256, Convert.ToHexStringLower(hash.GetHashAndReset()));
        Assert.True(peakAfterUpload - before < 256L * 1024 * 1024, $"Managed memory grew by {(peakAfterUpload - before) / (1024 * 1024)} MiB");
        Assert.True(GC.GetTotalMemory(forceFullCollection: true) - before < 64L * 1024 * 1024);
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
    }

    /// <summary>Pseudo-random bytes made while read, so that the test never holds the file either.</summary>
    private sealed class GeneratedStream(long length) : Stream
    {
        private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        private readonly Random _random = new(42);
        private long _position;
        private string? _sha256;

        /// <summary>The digest of every byte read; known once the stream has been read to its end.</summary>
        public string Sha256 => _sha256 ?? throw new InvalidOperationException("The stream was not read to its end.");

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => length;

        public override long Position { get => _position; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            var n = (int)Math.Min(count, length - _position);
            _random.NextBytes(buffer.AsSpan(offset, n));
            _hash.AppendData(buffer, offset, n);
            _position += n;
            if (_position == length && _sha256 is null)
            {
                // The HTTP client disposes the stream once sent, so the digest is taken here.
                _sha256 = Convert.ToHexStringLower(_hash.GetHashAndReset());
            }

            return n;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            _hash.Dispose();
            base.Dispose(disposing);
        }
    }
}
