using System.Text;

namespace Berth.Runtime.Sandboxes;

/// <summary>
/// One output stream of a command as text: decoded as UTF-8 across chunk boundaries (a character
/// split between two reads comes out whole, once both halves are in; bytes that are not UTF-8
/// become U+FFFD), and limited to the first bytes of the stream.
/// </summary>
/// <remarks>
/// The limit applies to what is streamed as well as to what is collected, so a client that
/// streams sees exactly the collected text; bytes past it are read and dropped, which keeps the
/// command from blocking on a full pipe. A character cut by the limit is dropped whole.
/// </remarks>
internal sealed class ExecOutputText(long maxBytes)
{
    private readonly Decoder _decoder = new UTF8Encoding(false, false).GetDecoder();
    private readonly StringBuilder _collected = new();
    private long _bytes;

    public bool Truncated { get; private set; }

    /// <summary>Decodes the part of <paramref name="bytes"/> within the limit; returns its new text, possibly empty.</summary>
    public string Append(ReadOnlySpan<byte> bytes)
    {
        var room = Math.Max(0, maxBytes - _bytes);
        if (bytes.Length > room)
        {
            Truncated = true;
            bytes = bytes[..(int)room];
        }

        _bytes += bytes.Length;

        return Decode(bytes, flush: false);
    }

    /// <summary>The text of bytes held back at the end: an incomplete character becomes U+FFFD.</summary>
    public string Finish() => Truncated ? "" : Decode([], flush: true);

    public override string ToString() => _collected.ToString();

    private string Decode(ReadOnlySpan<byte> bytes, bool flush)
    {
        var chars = new char[_decoder.GetCharCount(bytes, flush)];
        var count = _decoder.GetChars(bytes, chars, flush);
        if (count == 0)
        {
            return "";
        }

        _collected.Append(chars, 0, count);

        return new string(chars, 0, count);
    }
}
