namespace Berth.Runtime.Tests.Sandboxes;

/// <summary>A request body whose client goes away: reads fail with an IOException after some bytes.</summary>
internal sealed class BreakingStream(Stream inner, long breakAfter) : Stream
{
    private long _read;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => _read;
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count)
    {
        if (_read >= breakAfter)
        {
            throw new IOException("The client went away.");
        }

        var read = inner.Read(buffer, offset, (int)Math.Min(count, breakAfter - _read));
        _read += read;

        return read;
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
