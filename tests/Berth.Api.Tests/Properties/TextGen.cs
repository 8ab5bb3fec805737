using System.Text;
using CsCheck;

namespace Berth.Api.Tests.Properties;

/// <summary>Generators of text, one Unicode character (scalar value) at a time, so lengths are exact.</summary>
/// <remarks>
/// A string is built from one generated seed rather than one generated value per character: drawing
/// thousands of characters through CsCheck made generation the slowest part of the property test.
/// </remarks>
internal static class TextGen
{
    private const string Alphanumeric = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

    private static readonly string[] Ascii = [.. Alphanumeric.Select(c => c.ToString())];

    private static readonly string[] Punctuation = [.. "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~".Select(c => c.ToString())];

    private static readonly string[] Whitespace = [" ", "\t", "\n", "\r", "\u00a0", "\u2028", "\u3000"];

    private static readonly string[] Control = ["\u0000", "\u0001", "\u001b", "\u001f", "\u007f", "\u0085"];

    // A setup script is refused with a NUL: no shell can be given one.
    private static readonly string[] ScriptControl = [.. Control.Where(c => c != "\u0000")];

    private static readonly string[] Letter = ["é", "ß", "Ω", "Ж", "漢", "字", "א", "ع", "ñ"];

    // Combining marks, zero-width characters, bidi overrides and noncharacters: valid scalar values
    // that are easy to mishandle.
    private static readonly string[] Tricky = ["\u0301", "\u200b", "\u200d", "\u202e", "\ufeff", "\ufffe", "\uffff", "\ufdd0"];

    private static readonly string[] Astral = ["😀", "👍", "🚀", "🏳", "𝕏", "🧑", "\U0010FFFF"];

    private static readonly string[] Shell = [" ", "\n", "\t", "$", "`", "'", "\"", "\\", ";", "|", "&", "#"];

    private static readonly RuneTable Any = new(
        (12, Ascii), (2, Punctuation), (1, Whitespace), (1, Control), (2, Letter), (1, Tricky), (3, Astral));

    // Never whitespace, so that a name starting with one is never blank.
    private static readonly RuneTable Visible = new((8, Ascii), (1, Punctuation), (2, Letter), (2, Astral));

    // What makes a setup script interesting: shell syntax, quotes, line breaks.
    private static readonly RuneTable ScriptRunes = new(
        (10, Ascii), (3, Shell), (1, Punctuation), (1, Whitespace), (1, ScriptControl), (1, Letter), (1, Astral));

    public static Gen<string> Text(int min, int max) => Gen.Int[min, max].SelectMany(Exactly);

    public static Gen<string> Exactly(int characters) => Gen.Int.Select(seed => Any.Build(seed, characters));

    /// <summary>Text of exactly <paramref name="characters"/> characters, never blank.</summary>
    public static Gen<string> NonBlank(int characters) =>
        Gen.Int.Select(seed => Visible.Build(seed, 1) + Any.Build(~seed, characters - 1));

    public static Gen<string> Script(int min, int max) =>
        Gen.Select(Gen.Int, Gen.Int[min, max], (seed, characters) => ScriptRunes.Build(seed, characters));

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

    /// <summary>Characters in weighted classes: a class is picked by weight, then a character in it.</summary>
    private sealed class RuneTable(params (int Weight, string[] Runes)[] classes)
    {
        private readonly int _total = classes.Sum(c => c.Weight);

        public string Build(int seed, int characters)
        {
            var random = new Random(seed);
            var text = new StringBuilder(characters * 2);
            for (var i = 0; i < characters; i++)
            {
                text.Append(Next(random));
            }

            return text.ToString();
        }

        private string Next(Random random)
        {
            var pick = random.Next(_total);
            foreach (var (weight, runes) in classes)
            {
                if (pick < weight)
                {
                    return runes[random.Next(runes.Length)];
                }

                pick -= weight;
            }

            throw new InvalidOperationException("The weights do not add up.");
        }
    }
}
