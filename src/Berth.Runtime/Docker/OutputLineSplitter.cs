using System.Text;

namespace Berth.Runtime.Docker;

/// <summary>
/// Turns a byte stream into UTF-8 text lines. A character split across two reads is kept
/// whole, carriage returns are dropped, and an endless line is cut into pieces.
/// </summary>
internal sealed class OutputLineSplitter(Action<string> onLine)
{
    private const int MaxLineLength = 8 * 1024;

    private readonly Decoder _decoder = Encoding.UTF8.GetDecoder();
    private readonly StringBuilder _line = new();
    private char[] _chars = new char[4096];

    public void Append(ReadOnlySpan<byte> bytes)
    {
        var needed = _decoder.GetCharCount(bytes, flush: false);
        if (needed > _chars.Length)
        {
            _chars = new char[needed];
        }

        var count = _decoder.GetChars(bytes, _chars, flush: false);
        foreach (var c in _chars.AsSpan(0, count))
        {
            Add(c);
        }
    }

    public void Flush()
    {
        var count = _decoder.GetChars([], _chars, flush: true);
        foreach (var c in _chars.AsSpan(0, count))
        {
            Add(c);
        }

        if (_line.Length > 0)
        {
            Emit();
        }
    }

    private void Add(char c)
    {
        if (c == '\n')
        {
            Emit();
            return;
        }

        if (c != '\r')
        {
            _line.Append(c);
        }

        if (_line.Length >= MaxLineLength)
        {
            Emit();
        }
    }

    private void Emit()
    {
        onLine(_line.ToString());
        _line.Clear();
    }
}
