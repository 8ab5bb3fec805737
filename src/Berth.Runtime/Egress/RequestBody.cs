namespace Berth.Runtime.Egress;

/// <summary>
/// Where a request's body ends in the bytes that follow its head: after its Content-Length, or
/// after its last chunk and trailers. The bytes pass unchanged; this only counts them, so that
/// whatever follows the body (a request pipelined behind it) is known not to be part of it.
/// </summary>
internal abstract class RequestBody
{
    /// <summary>Whether the body has ended: nothing more belongs to it.</summary>
    public abstract bool IsComplete { get; }

    public static RequestBody For(HttpRequestHead head) =>
        head.BodyLength is { } length ? new Sized(length) : new Chunked();

    /// <summary>How many of <paramref name="data"/>'s first bytes belong to the body.</summary>
    public abstract int Take(ReadOnlySpan<byte> data);

    private sealed class Sized(long length) : RequestBody
    {
        private long _left = length;

        public override bool IsComplete => _left == 0;

        public override int Take(ReadOnlySpan<byte> data)
        {
            var taken = (int)Math.Min(data.Length, _left);
            _left -= taken;

            return taken;
        }
    }

    // Chunked framing (RFC 9112 §7.1): a hex size line (with extensions), that many bytes and CR
    // LF, again until a size of 0, then trailer lines and an empty line. Anything else ends the
    // body where it goes wrong.
    private sealed class Chunked : RequestBody
    {
        private const long MaxChunk = 1L << 40;

        private State _state = State.Size;
        private long _size;
        private bool _hasDigits;

        private enum State
        {
            Size,
            Extension,
            SizeEnd,
            Data,
            DataCr,
            DataLf,
            TrailerStart,
            Trailer,
            TrailerEnd,
            LastLf,
            Complete,
        }

        public override bool IsComplete => _state == State.Complete;

        public override int Take(ReadOnlySpan<byte> data)
        {
            var taken = 0;
            while (taken < data.Length && _state != State.Complete)
            {
                if (_state == State.Data)
                {
                    var part = (int)Math.Min(data.Length - taken, _size);
                    taken += part;
                    _size -= part;
                    if (_size == 0)
                    {
                        _state = State.DataCr;
                    }

                    continue;
                }

                if (!Step(data[taken]))
                {
                    _state = State.Complete;
                    return taken;
                }

                taken++;
            }

            return taken;
        }

        // One byte of the framing; false when it cannot be there.
        private bool Step(byte b)
        {
            switch (_state)
            {
                case State.Size when HexValue(b) is { } digit && _size < MaxChunk:
                    _size = (_size * 16) + digit;
                    _hasDigits = true;
                    return true;
                case State.Size when b == ';' && _hasDigits:
                    _state = State.Extension;
                    return true;
                case State.Size or State.Extension when b == '\r' && _hasDigits:
                    _state = State.SizeEnd;
                    return true;
                case State.Extension when b != '\n':
                    return true;
                case State.SizeEnd when b == '\n':
                    _state = _size == 0 ? State.TrailerStart : State.Data;
                    _hasDigits = false;
                    return true;
                case State.DataCr when b == '\r':
                    _state = State.DataLf;
                    return true;
                case State.DataLf when b == '\n':
                    _state = State.Size;
                    return true;
                case State.TrailerStart:
                    _state = b == '\r' ? State.LastLf : State.Trailer;
                    return b != '\n';
                case State.Trailer:
                    if (b == '\r')
                    {
                        _state = State.TrailerEnd;
                    }

                    return b != '\n';
                case State.TrailerEnd when b == '\n':
                    _state = State.TrailerStart;
                    return true;
                case State.LastLf when b == '\n':
                    _state = State.Complete;
                    return true;
                default:
                    return false;
            }
        }

        private static int? HexValue(byte b) => b switch
        {
            >= (byte)'0' and <= (byte)'9' => b - '0',
            >= (byte)'a' and <= (byte)'f' => b - 'a' + 10,
            >= (byte)'A' and <= (byte)'F' => b - 'A' + 10,
            _ => null,
        };
    }
}
