using System.Text;
using CsCheck;

namespace Berth.Api.Tests.Properties;

/// <summary>Generators of text, one Unicode character (scalar value) at a time, so lengths are exact.</summary>
internal static class TextGen
{
    private static readonly Gen<string> AsciiRune = Gen.Char["abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"]
        .Select(c => c.ToString());

    private static readonly Gen<string> Punctuation = Gen.Char["!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~"].Select(c => c.ToString());

    private static readonly Gen<string> Whitespace = Gen.OneOfConst(" ", "\t", "\n", "\r", "\u00a0", "\u2028", "\u3000");

    private static readonly Gen<string> Control = Gen.OneOfConst("\u0000", "\u0001", "\u001b", "\u001f", "\u007f", "\u0085");

    private static readonly Gen<string> Letter = Gen.OneOfConst("é", "ß", "Ω", "Ж", "漢", "字", "א", "ع", "ñ");

    // Combining marks, zero-width characters, bidi overrides and noncharacters: valid scalar values
    // that are easy to mishandle.
    private static readonly Gen<string> Tricky = Gen.OneOfConst(
        "\u0301", "\u200b", "\u200d", "\u202e", "\ufeff", "\ufffe", "\uffff", "\ufdd0");

    private static readonly Gen<string> Astral = Gen.OneOfConst("😀", "👍", "🚀", "🏳", "𝕏", "🧑", "\U0010FFFF");

    /// <summary>Any one character.</summary>
    public static readonly Gen<string> Rune = Gen.Frequency(
        (12, AsciiRune), (2, Punctuation), (1, Whitespace), (1, Control), (2, Letter), (1, Tricky), (3, Astral));

    /// <summary>One character that is not whitespace, so that a name starting with it is never blank.</summary>
    public static readonly Gen<string> Visible = Gen.Frequency((8, AsciiRune), (1, Punctuation), (2, Letter), (2, Astral));

    /// <summary>Characters that make a setup script interesting: shell syntax, quotes, line breaks.</summary>
    private static readonly Gen<string> ScriptRune = Gen.Frequency(
        (10, AsciiRune), (3, Gen.OneOfConst(" ", "\n", "\t", "$", "`", "'", "\"", "\\", ";", "|", "&", "#")), (2, Rune));

    public static Gen<string> Text(int min, int max) => Gen.Int[min, max].SelectMany(Exactly);

    public static Gen<string> Exactly(int characters) => Rune.Array[characters].Select(string.Concat);

    /// <summary>Text of exactly <paramref name="characters"/> characters, never blank.</summary>
    public static Gen<string> NonBlank(int characters) =>
        Gen.Select(Visible, Rune.Array[characters - 1], (first, rest) => first + string.Concat(rest));

    public static Gen<string> Script(int min, int max) =>
        Gen.Int[min, max].SelectMany(n => ScriptRune.Array[n]).Select(string.Concat);

    /// <summary>Text of exactly <paramref name="bytes"/> bytes of UTF-8, made of one- to four-byte characters.</summary>
    public static Gen<string> Utf8Bytes(int bytes) =>
        Gen.OneOfConst("x", "é", "€", "😀").Select(unit =>
        {
            var size = Encoding.UTF8.GetByteCount(unit);
            var text = new StringBuilder();
            text.Insert(0, unit, bytes / size);

            return text.Append('x', bytes % size).ToString();
        });

    public static int Characters(string text) => text.EnumerateRunes().Count();
}
