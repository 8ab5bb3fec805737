namespace Berth.Cli.Output;

/// <summary>
/// A read-only stream that reports every read to a <see cref="TransferProgress"/> and hashes
/// what passes through, so that a copy can be checked without reading the file twice.
/// </summary>
internal sealed class ProgressStream(Stream inner, TransferProgress progress) : Stream
{
    private readonly System.Security.Cryptography.IncrementalHash _sha256 =
        System.Security.Cryptography.IncrementalHash.CreateHash(System.Security.Cryptography.HashAlgorithmName.SHA256);

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => inner.Length;

    public override long Position
    {
        get => inner.Position;
        set => throw new NotSupportedException();
    }

    /// <summary>How many bytes were read so far.</summary>
    public long BytesRead { get; private set; }

    private string? _finalSha256;

    /// <summary>The lowercase hex SHA-256 of everything read so far.</summary>
    /// <remarks>HTTP content disposes the stream it sent, so the digest outlives the stream.</remarks>
    public string Sha256 => _finalSha256 ?? Convert.ToHexStringLower(_sha256.GetCurrentHash());

    public override int Read(byte[] buffer, int offset, int count)
    {
        var read = inner.Read(buffer, offset, count);

        return Counted(buffer.AsSpan(offset, read));
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var read = await inner.ReadAsync(buffer, cancellationToken);

        return Counted(buffer.Span[..read]);
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing && _finalSha256 is null)
        {
            _finalSha256 = Sha256;
            inner.Dispose();
            _sha256.Dispose();
        }

        base.Dispose(disposing);
    }

    private int Counted(Span<byte> read)
    {
        _sha256.AppendData(read);
        BytesRead += read.Length;
        progress.Add(read.Length);

        return read.Length;
    }
}
