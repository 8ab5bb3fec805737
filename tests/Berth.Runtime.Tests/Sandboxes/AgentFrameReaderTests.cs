using Berth.Runtime.Sandboxes.Agent;

namespace Berth.Runtime.Tests.Sandboxes;

public sealed class AgentFrameReaderTests
{
    [Fact]
    public void TryTake_FramesSplitAnywhere_ComeOutWholeAndInOrder()
    {
        var bytes = Frame('O', 7, "hello"u8.ToArray())
            .Concat(Frame('X', 7, [0, 0, 0, 3]))
            .Concat(Frame('H', 0, []))
            .ToArray();

        for (var chunk = 1; chunk <= bytes.Length; chunk++)
        {
            var reader = new AgentFrameReader(1024);
            var frames = new List<(AgentFrame, uint, string)>();
            for (var offset = 0; offset < bytes.Length; offset += chunk)
            {
                reader.Append(bytes.AsSpan(offset, Math.Min(chunk, bytes.Length - offset)));
                while (reader.TryTake(out var kind, out var id, out var payload))
                {
                    frames.Add((kind, id, Convert.ToHexString(payload)));
                }
            }

            Assert.Equal(
                [(AgentFrame.Stdout, 7u, "68656C6C6F"), (AgentFrame.Exit, 7u, "00000003"), (AgentFrame.Ready, 0u, "")],
                frames);
        }
    }

    [Fact]
    public void TryTake_PayloadLargerThanTheBuffer_GrowsAndComesOutWhole()
    {
        var payload = Enumerable.Range(0, 200_000).Select(i => (byte)i).ToArray();
        var reader = new AgentFrameReader(1024 * 1024);

        reader.Append(Frame('E', 1, payload));

        Assert.True(reader.TryTake(out var kind, out _, out var taken));
        Assert.Equal(AgentFrame.Stderr, kind);
        Assert.Equal(payload, taken);
        Assert.False(reader.TryTake(out _, out _, out _));
    }

    [Fact]
    public void TryTake_HeaderAnnouncingMoreThanTheLimit_Throws()
    {
        var reader = new AgentFrameReader(16);

        reader.Append(Frame('O', 1, new byte[17]).AsSpan(0, 9));

        Assert.Throws<InvalidDataException>(() => reader.TryTake(out _, out _, out _));
    }

    private static byte[] Frame(char kind, uint id, byte[] payload)
    {
        var frame = new byte[9 + payload.Length];
        frame[0] = (byte)kind;
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(1), id);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(5), (uint)payload.Length);
        payload.CopyTo(frame, 9);
        return frame;
    }
}
