using System.Buffers.Binary;
using System.Text;

namespace Berth.Runtime.Egress;

/// <summary>Reads the server name (SNI) from the first record of a TLS ClientHello.</summary>
internal static class TlsClientHello
{
    public const byte HandshakeRecord = 0x16;
    public const int RecordHeaderLength = 5;

    private const byte ClientHelloType = 0x01;
    private const ushort ServerNameExtension = 0x0000;
    private const byte HostNameType = 0x00;
    private const int RandomLength = 32;

    /// <summary>The length of the whole first record, once its header is in <paramref name="data"/>.</summary>
    public static int? RecordLength(ReadOnlySpan<byte> data) =>
        data.Length < RecordHeaderLength || data[0] != HandshakeRecord
            ? null
            : RecordHeaderLength + BinaryPrimitives.ReadUInt16BigEndian(data[3..]);

    /// <summary>
    /// The host name the client asked for, lowercase; null when the record is no ClientHello or
    /// carries no host name (clients that connect to a bare address send none).
    /// </summary>
    public static string? ReadServerName(ReadOnlySpan<byte> record)
    {
        var reader = new SpanReader(record);
        if (reader.Byte() != HandshakeRecord || !reader.Skip(4) || reader.Byte() != ClientHelloType
            || !reader.Skip(3 + 2 + RandomLength))
        {
            return null;
        }

        // Session id, cipher suites and compression methods stand between the random and the extensions.
        if (!reader.Skip(reader.Byte()) || !reader.Skip(reader.UInt16()) || !reader.Skip(reader.Byte()))
        {
            return null;
        }

        var extensionsEnd = reader.Position + reader.UInt16();
        while (reader.Position + 4 <= Math.Min(extensionsEnd, record.Length))
        {
            var type = reader.UInt16();
            var length = reader.UInt16();
            if (type == ServerNameExtension)
            {
                return ReadHostName(reader.Slice(length));
            }

            if (!reader.Skip(length))
            {
                return null;
            }
        }

        return null;
    }

    private static string? ReadHostName(ReadOnlySpan<byte> extension)
    {
        var reader = new SpanReader(extension);
        var listEnd = 2 + reader.UInt16();
        while (reader.Position + 3 <= Math.Min(listEnd, extension.Length))
        {
            var nameType = reader.Byte();
            var name = reader.Slice(reader.UInt16());
            if (nameType == HostNameType && name.Length > 0)
            {
                return Encoding.ASCII.GetString(name).TrimEnd('.').ToLowerInvariant();
            }
        }

        return null;
    }

    /// <summary>Reads big-endian fields; past the end it yields zeros, where the callers' bounds checks stop.</summary>
    private ref struct SpanReader(ReadOnlySpan<byte> data)
    {
        private readonly ReadOnlySpan<byte> _data = data;

        public int Position { get; private set; }

        public int Byte() => Position < _data.Length ? _data[Position++] : -1;

        public int UInt16()
        {
            if (Position + 2 > _data.Length)
            {
                Position = _data.Length;
                return 0;
            }

            var value = BinaryPrimitives.ReadUInt16BigEndian(_data[Position..]);
            Position += 2;

            return value;
        }

        public bool Skip(int count)
        {
            if (count < 0 || Position + count > _data.Length)
            {
                Position = _data.Length;
                return false;
            }

            Position += count;

            return true;
        }

        public ReadOnlySpan<byte> Slice(int count)
        {
            var length = Math.Clamp(count, 0, _data.Length - Position);
            var slice = _data.Slice(Position, length);
            Position += length;

            return slice;
        }
    }
}
