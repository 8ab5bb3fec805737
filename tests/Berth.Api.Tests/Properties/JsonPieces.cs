using System.Collections.Immutable;
using System.Globalization;
using System.Text;

namespace Berth.Api.Tests.Properties;

/// <summary>
/// JSON as the pieces of its text. Generated bodies need what a JSON library refuses to write:
/// duplicate names, escaped lone surrogates, raw control characters and bytes that are not UTF-8.
/// </summary>
internal abstract record JsonPiece;

internal sealed record JsonObjectPiece(ImmutableList<JsonMember> Members) : JsonPiece
{
    public static JsonObjectPiece Of(params (string Name, JsonPiece Value)[] members) =>
        new([.. members.Select(m => new JsonMember(m.Name, null, m.Value))]);

    public JsonObjectPiece With(string name, JsonPiece value) => new(Members.Add(new JsonMember(name, null, value)));
}

/// <summary>
/// A member of an object. <c>Name</c> is what a parser reads, or null when its escapes do not decode
/// (a lone surrogate); <c>RawName</c> is the text between the quotes when it is not simply the escaped name.
/// </summary>
internal sealed record JsonMember(string? Name, string? RawName, JsonPiece Value);

internal sealed record JsonArrayPiece(ImmutableList<JsonPiece> Items) : JsonPiece
{
    public static JsonArrayPiece Of(IEnumerable<JsonPiece> items) => new([.. items]);
}

/// <summary>
/// A string. <c>Value</c> is what a parser reads, or null when <c>Raw</c> does not decode; <c>Raw</c> is
/// the text between the quotes when it is not simply the escaped value.
/// </summary>
internal sealed record JsonStringPiece(string? Value, string? Raw = null) : JsonPiece;

/// <summary>A number, <c>true</c>, <c>false</c> or <c>null</c>, written as it is.</summary>
internal sealed record JsonLiteralPiece(string Text) : JsonPiece
{
    public static readonly JsonLiteralPiece Null = new("null");

    public static JsonLiteralPiece Boolean(bool value) => new(value ? "true" : "false");
}

/// <summary>A string whose content is raw bytes, for text that is not valid UTF-8.</summary>
internal sealed record JsonBytesPiece(byte[] Content) : JsonPiece;

internal enum JsonKind
{
    Object,
    Array,
    String,
    Number,
    Boolean,
    Null,
}

internal enum EscapeStyle
{
    /// <summary>Only what JSON requires: quotes, backslashes and control characters.</summary>
    Minimal,

    /// <summary>Everything outside printable ASCII as <c>\uXXXX</c>, surrogate pairs as two escapes.</summary>
    Ascii,

    /// <summary>Every character as <c>\uXXXX</c>, so that even <c>"name"</c> arrives as escapes.</summary>
    Everything,
}

/// <summary>How a body is written: escapes and the whitespace between tokens.</summary>
internal sealed record RenderStyle(EscapeStyle Escape, string Gap)
{
    public static readonly RenderStyle Compact = new(EscapeStyle.Minimal, "");
}

internal static class JsonPieces
{
    public static JsonStringPiece String(string value) => new(value);

    public static JsonLiteralPiece Number(long value) => new(value.ToString(CultureInfo.InvariantCulture));

    public static JsonKind? KindOf(JsonPiece piece) => piece switch
    {
        JsonObjectPiece => JsonKind.Object,
        JsonArrayPiece => JsonKind.Array,
        JsonStringPiece or JsonBytesPiece => JsonKind.String,
        JsonLiteralPiece { Text: "null" } => JsonKind.Null,
        JsonLiteralPiece { Text: "true" or "false" } => JsonKind.Boolean,
        JsonLiteralPiece literal when IsNumber(literal.Text) => JsonKind.Number,
        _ => null,
    };

    public static byte[] Render(JsonPiece piece, RenderStyle style)
    {
        using var output = new MemoryStream();
        Write(output, piece, style);

        return output.ToArray();
    }

    /// <summary>The text between the quotes for <paramref name="value"/>.</summary>
    public static string Escape(string value, EscapeStyle style)
    {
        var text = new StringBuilder(value.Length + 8);
        foreach (var character in value)
        {
            AppendEscaped(text, character, style);
        }

        return text.ToString();
    }

    private static void AppendEscaped(StringBuilder text, char character, EscapeStyle style)
    {
        switch (character)
        {
            case var _ when style == EscapeStyle.Everything:
            case < ' ' and not ('\n' or '\t'):
            case > '~' when style == EscapeStyle.Ascii:
                text.Append(CultureInfo.InvariantCulture, $"\\u{(int)character:x4}");
                break;
            case '"' or '\\':
                text.Append('\\').Append(character);
                break;
            case '\n':
                text.Append("\\n");
                break;
            case '\t':
                text.Append("\\t");
                break;
            default:
                text.Append(character);
                break;
        }
    }

    private static bool IsNumber(string text) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out _) && text is not ("NaN" or "Infinity");

    private static void Write(MemoryStream output, JsonPiece piece, RenderStyle style)
    {
        switch (piece)
        {
            case JsonObjectPiece obj:
                WriteObject(output, obj, style);
                break;
            case JsonArrayPiece array:
                WriteArray(output, array, style);
                break;
            case JsonStringPiece text:
                WriteQuoted(output, text.Raw ?? Escape(text.Value!, style.Escape));
                break;
            case JsonBytesPiece bytes:
                output.WriteByte((byte)'"');
                output.Write(bytes.Content);
                output.WriteByte((byte)'"');
                break;
            case JsonLiteralPiece literal:
                WriteText(output, literal.Text);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(piece), piece, "Unknown JSON piece.");
        }
    }

    private static void WriteObject(MemoryStream output, JsonObjectPiece obj, RenderStyle style)
    {
        WriteText(output, "{" + style.Gap);
        for (var i = 0; i < obj.Members.Count; i++)
        {
            var member = obj.Members[i];
            WriteText(output, i == 0 ? "" : "," + style.Gap);
            WriteQuoted(output, member.RawName ?? Escape(member.Name!, style.Escape));
            WriteText(output, ":" + style.Gap);
            Write(output, member.Value, style);
        }

        WriteText(output, style.Gap + "}");
    }

    private static void WriteArray(MemoryStream output, JsonArrayPiece array, RenderStyle style)
    {
        WriteText(output, "[" + style.Gap);
        for (var i = 0; i < array.Items.Count; i++)
        {
            WriteText(output, i == 0 ? "" : "," + style.Gap);
            Write(output, array.Items[i], style);
        }

        WriteText(output, style.Gap + "]");
    }

    private static void WriteQuoted(MemoryStream output, string raw) => WriteText(output, "\"" + raw + "\"");

    private static void WriteText(MemoryStream output, string text) => output.Write(Encoding.UTF8.GetBytes(text));
}
