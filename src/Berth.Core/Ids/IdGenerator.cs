using System.Security.Cryptography;

namespace Berth.Core.Ids;

/// <summary>Makes prefixed UUIDv7 identifiers that strictly increase in creation order.</summary>
/// <remarks>
/// RFC 9562 method 1: the 12 bits after the version hold a counter, so ids made within one
/// millisecond still sort by creation. When the counter runs out, the timestamp is advanced by
/// one millisecond rather than letting order break.
/// </remarks>
public sealed class IdGenerator(TimeProvider time)
{
    private readonly Lock _gate = new();
    private long _lastMillis;
    private int _counter;

    /// <summary>The process-wide generator on the system clock.</summary>
    public static IdGenerator Shared { get; } = new(TimeProvider.System);

    public string Next(string prefix)
    {
        var (millis, counter) = Advance();
        Span<byte> bytes = stackalloc byte[16];
        RandomNumberGenerator.Fill(bytes);

        bytes[0] = (byte)(millis >> 40);
        bytes[1] = (byte)(millis >> 32);
        bytes[2] = (byte)(millis >> 24);
        bytes[3] = (byte)(millis >> 16);
        bytes[4] = (byte)(millis >> 8);
        bytes[5] = (byte)millis;
        bytes[6] = (byte)(0x70 | (counter >> 8));
        bytes[7] = (byte)counter;
        bytes[8] = (byte)(0x80 | (bytes[8] & 0x3F));

        return prefix + "_" + Convert.ToHexStringLower(bytes);
    }

    private (long Millis, int Counter) Advance()
    {
        lock (_gate)
        {
            var now = time.GetUtcNow().ToUnixTimeMilliseconds();
            if (now > _lastMillis)
            {
                _lastMillis = now;
                // Start low in the counter space so that bursts rarely exhaust it.
                _counter = RandomNumberGenerator.GetInt32(0, 0x400);
            }
            else if (++_counter > 0xFFF)
            {
                _lastMillis++;
                _counter = 0;
            }

            return (_lastMillis, _counter);
        }
    }
}
