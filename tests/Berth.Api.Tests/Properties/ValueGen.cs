using System.Globalization;
using CsCheck;

namespace Berth.Api.Tests.Properties;

/// <summary>Generators of arbitrary JSON values and member names, for fields the server must ignore or refuse.</summary>
internal static class ValueGen
{
    private static readonly Gen<JsonPiece> Number = Gen.OneOfConst(
        "0", "-0", "1", "-1", "42", "1.5", "1e3", "-2.5E-7", "1.5e300", "1e999", "123456789012345678901234567890",
        "0.0000000000000000000001").Select(text => (JsonPiece)new JsonLiteralPiece(text));

    private static readonly Gen<JsonPiece> String = TextGen.Text(0, 12).Select(text => (JsonPiece)JsonPieces.String(text));

    private static readonly Gen<JsonPiece> Boolean = Gen.Bool.Select(value => (JsonPiece)JsonLiteralPiece.Boolean(value));

    private static readonly Gen<JsonPiece> Null = Gen.Const((JsonPiece)JsonLiteralPiece.Null);

    private static readonly Gen<JsonPiece>[] ByDepth = BuildByDepth(3);

    /// <summary>Names no environment field has, including some that look like one.</summary>
    public static readonly Gen<JsonMember> UnknownName = Gen.Frequency(
        (6, Gen.OneOfConst(
            "beta", "x_extra", "colour", "scope", "Name", "NAME", "name ", " name", "Config", "__proto__",
            "constructor", "$ref", "id", "type", "status", "archived", "archived_at", "created_at", "updated_at",
            "account", "version", "environment", "null", "")
            .Select(name => new JsonMember(name, null, JsonLiteralPiece.Null))),
        (2, TextGen.Text(1, 10).Select(name => new JsonMember(name, null, JsonLiteralPiece.Null))),
        (1, Gen.OneOfConst("x\\ud800", "\\udfff", "\\ud83d\\u0041")
            .Select(raw => new JsonMember(null, raw, JsonLiteralPiece.Null))));

    /// <summary>Any JSON value, nested at most three levels.</summary>
    public static Gen<JsonPiece> Any => ByDepth[^1];

    /// <summary>A value of <paramref name="kind"/>.</summary>
    public static Gen<JsonPiece> OfKind(JsonKind kind) => kind switch
    {
        JsonKind.Object => Object(ByDepth[1]),
        JsonKind.Array => Array(ByDepth[1]),
        JsonKind.String => String,
        JsonKind.Number => Number,
        JsonKind.Boolean => Boolean,
        _ => Null,
    };

    /// <summary>Arrays or objects nested <paramref name="depth"/> levels deep.</summary>
    public static JsonPiece Nested(int depth, bool objects)
    {
        JsonPiece value = JsonPieces.Number(depth);
        for (var i = 0; i < depth; i++)
        {
            value = objects ? JsonObjectPiece.Of(("a", value)) : JsonArrayPiece.Of([value]);
        }

        return value;
    }

    public static JsonArrayPiece NumberArray(int count) =>
        JsonArrayPiece.Of(Enumerable.Range(0, count).Select(i => (JsonPiece)JsonPieces.Number(i)));

    public static JsonArrayPiece StringArray(int count, string format) =>
        JsonArrayPiece.Of(Enumerable.Range(0, count)
            .Select(i => (JsonPiece)JsonPieces.String(string.Format(CultureInfo.InvariantCulture, format, i))));

    private static Gen<JsonPiece>[] BuildByDepth(int depth)
    {
        var scalars = Gen.Frequency((3, String), (2, Number), (1, Boolean), (1, Null));
        var gens = new Gen<JsonPiece>[depth + 1];
        gens[0] = scalars;
        for (var i = 1; i <= depth; i++)
        {
            gens[i] = Gen.Frequency((6, scalars), (1, Array(gens[i - 1])), (1, Object(gens[i - 1])));
        }

        return gens;
    }

    private static Gen<JsonPiece> Array(Gen<JsonPiece> item) => item.Array[0, 3].Select(items => (JsonPiece)JsonArrayPiece.Of(items));

    private static Gen<JsonPiece> Object(Gen<JsonPiece> value) =>
        Gen.Select(TextGen.Text(0, 6), value, (name, v) => new JsonMember(name, null, v)).Array[0, 3]
            .Select(members => (JsonPiece)new JsonObjectPiece([.. members]));
}
