using System.Text;

namespace Berth.Core.Validation;

/// <summary>Measures text the way the API's limits are written.</summary>
internal static class TextLength
{
    /// <summary>
    /// Counts Unicode characters (scalar values), not UTF-16 code units, so that an emoji counts
    /// as one character here just as it does for clients written in other languages.
    /// </summary>
    public static int Characters(string text)
    {
        var count = 0;
        foreach (var _ in text.EnumerateRunes())
        {
            count++;
        }

        return count;
    }

    public static int Utf8Bytes(string text) => Encoding.UTF8.GetByteCount(text);
}
