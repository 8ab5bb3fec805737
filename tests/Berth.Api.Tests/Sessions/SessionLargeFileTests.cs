using System.Net;
using System.Security.Cryptography;
using Berth.Api.Tests.Fixtures;

namespace Berth.Api.Tests.Sessions;

/// <summary>
/// Runs alone, after the parallel tests: the test host shares its heap with every other test in
/// the process, and their garbage would count as this transfer's.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class MeasuredAloneGroup
{
    public const string Name = "Measured alone";
}

[Collection(MeasuredAloneGroup.Name)]
public sealed class SessionLargeFileTests(DockerApiServer server) : IClassFixture<DockerApiServer>
{
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
