using System.Formats.Tar;

namespace Berth.Runtime.Sandboxes;

/// <summary>
/// The bytes of the one file in a tar stream from the engine, read straight from the connection:
/// nothing is buffered beyond the read in progress. Disposing it closes the connection.
/// </summary>
/// <remarks>
/// The tar reader asks its stream for zero bytes once an entry is read to its end, and the Docker
/// client's chunked response stream answers a zero-byte read inside a chunk (the tar padding
/// follows) with an end-of-stream error. So this stream counts what is left and never passes on
/// a read that cannot return anything.
/// </remarks>
internal sealed class ArchiveFileStream : Stream
{
    private readonly TarReader _reader;
    private readonly Stream _data;
    private long _remaining;

    private ArchiveFileStream(TarReader reader, Stream data, long length)
    {
        _reader = reader;
        _data = data;
        Length = length;
        _remaining = length;
    }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length { get; }

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    /// <summary>Reads the archive's first entry header; a tar without a regular file gives an empty stream.</summary>
    public static async Task<ArchiveFileStream> OpenAsync(Stream tar, CancellationToken cancellationToken)
    {
        var reader = new TarReader(tar, leaveOpen: false);
        var opened = false;
        try
        {
            // Without copying, the entry's data stream reads from the archive stream itself.
            var entry = await reader.GetNextEntryAsync(copyData: false, cancellationToken).ConfigureAwait(false);
            var isFile = entry?.EntryType is TarEntryType.RegularFile or TarEntryType.V7RegularFile
                or TarEntryType.ContiguousFile;
            var data = isFile ? entry!.DataStream : null;
            opened = true;

            return new ArchiveFileStream(reader, data ?? Null, data is null ? 0 : entry!.Length);
        }
        finally
        {
            if (!opened)
            {
                await reader.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var wanted = Math.Min(buffer.Length, _remaining);

        return wanted == 0 ? 0 : Consumed(_data.Read(buffer[..(int)wanted]));
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var wanted = Math.Min(buffer.Length, _remaining);

        return wanted == 0
            ? 0
            : Consumed(await _data.ReadAsync(buffer[..(int)wanted], cancellationToken).ConfigureAwait(false));
    }

    public override void Flush()
    {
    }

    private int Consumed(int read)
    {
        _remaining -= read;

        return read;
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override async ValueTask DisposeAsync()
    {
        await _reader.DisposeAsync().ConfigureAwait(false);
        await base.DisposeAsync().ConfigureAwait(false);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _reader.Dispose();
        }

        base.Dispose(disposing);
    }
}
