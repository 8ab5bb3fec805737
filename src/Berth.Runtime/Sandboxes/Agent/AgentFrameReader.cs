using System.Buffers.Binary;

namespace Berth.Runtime.Sandboxes.Agent;

/// <summary>
/// Cuts the agent's stdout into frames: a 9-byte header (kind, command id, payload length, both
/// big-endian) and the payload, however the bytes were split on the way.
/// </summary>
internal sealed class AgentFrameReader(int maxPayload)
{
    private const int HeaderSize = 9;

    private byte[] _buffer = new byte[64 * 1024];
    private int _start;
    private int _end;

    public void Append(ReadOnlySpan<byte> bytes)
    {
        if (_end + bytes.Length > _buffer.Length)
        {
            var held = _end - _start;
            var target = _buffer.Length;
            while (held + bytes.Length > target)
            {
                target *= 2;
            }

            var grown = target == _buffer.Length ? _buffer : new byte[target];
            _buffer.AsSpan(_start, held).CopyTo(grown);
            _buffer = grown;
            _start = 0;
            _end = held;
        }

        bytes.CopyTo(_buffer.AsSpan(_end));
        _end += bytes.Length;
    }

    /// <summary>The next whole frame, if one has arrived.</summary>
    /// <exception cref="InvalidDataException">A header announces more than the largest payload allowed.</exception>
    public bool TryTake(out AgentFrame kind, out uint commandId, out byte[] payload)
    {
        kind = default;
        commandId = 0;
        payload = [];
        if (_end - _start < HeaderSize)
        {
            return false;
        }

        var header = _buffer.AsSpan(_start, HeaderSize);
        var length = BinaryPrimitives.ReadUInt32BigEndian(header[5..]);
        if (length > maxPayload)
        {
            throw new InvalidDataException($"The command agent sent a frame of {length} bytes.");
        }

        if (_end - _start < HeaderSize + (int)length)
        {
            return false;
        }

        kind = (AgentFrame)header[0];
        commandId = BinaryPrimitives.ReadUInt32BigEndian(header[1..]);
        payload = _buffer.AsSpan(_start + HeaderSize, (int)length).ToArray();
        _start += HeaderSize + (int)length;
        if (_start == _end)
        {
            _start = 0;
            _end = 0;
        }

        return true;
    }
}
