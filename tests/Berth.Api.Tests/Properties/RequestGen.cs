using System.Collections.Immutable;
using System.Text;
using CsCheck;

namespace Berth.Api.Tests.Properties;

/// <summary>A request body as sent, with what it must lead to.</summary>
internal sealed record RequestBody(byte[] Bytes, string? ContentType, Meaning Meaning, ImmutableList<string> Notes);

internal sealed record UpdateRequest(string Method, RequestBody Body);

/// <summary>
/// One environment's story: a create (mutated or not), a valid create to fall back on when that one
/// is refused, then updates with every method, sometimes after the environment was archived.
/// </summary>
/// <remarks><c>ArchiveBefore</c> is the update before which the environment is archived, or -1.</remarks>
internal sealed record PropertyCase(
    string Prefix,
    RequestBody Create,
    RequestBody Fallback,
    ImmutableArray<UpdateRequest> Updates,
    int ArchiveBefore);

/// <summary>Turns generated bodies into bytes: render, then maybe break the text itself.</summary>
internal static class RequestGen
{
    private static readonly Gen<RenderStyle> Style =
        from escape in Gen.Frequency(
            (6, Gen.Const(EscapeStyle.Minimal)), (2, Gen.Const(EscapeStyle.Ascii)), (1, Gen.Const(EscapeStyle.Everything)))
        from gap in Gen.Frequency((6, Gen.Const("")), (1, Gen.OneOfConst(" ", "\n", "\r\n\t", "  ")))
        select new RenderStyle(escape, gap);

    // A missing or wrong Content-Type on a JSON body is tolerated.
    private static readonly Gen<string?> ContentType = Gen.Frequency(
        (8, Gen.Const<string?>("application/json")),
        (1, Gen.OneOfConst<string?>(
            null, "text/plain", "application/json; charset=utf-8", "application/x-www-form-urlencoded", "multipart/form-data")));

    private static readonly Gen<byte[]> Garbage = Gen.OneOfConst(
        "x", "}", "]", ",", "{}", "[]", "\"\"", "0", "\0", "//", "/* */", "é", "null", ",}").Select(Encoding.UTF8.GetBytes);

    private static readonly Gen<int> MutationCount =
        Gen.Frequency((5, Gen.Const(0)), (9, Gen.Const(1)), (4, Gen.Const(2)), (2, Gen.Const(3)));

    private static readonly Gen<UpdateRequest> Update = Gen.Select(
        Gen.OneOfConst("PUT", "POST", "PATCH"), BodyGen.Update.SelectMany(Mutate), (method, body) => new UpdateRequest(method, body));

    public static readonly Gen<PropertyCase> Case =
        from prefix in Gen.OneOfConst("/v1", "/api/v1/cloud")
        from create in BodyGen.Create.SelectMany(Mutate)
        from fallback in BodyGen.Create.Where(b => b.Meaning is CreateAccepted).SelectMany(Pristine)
        from updates in Gen.Int[4, 6].SelectMany(count => Update.Array[count])
        from archiveBefore in Gen.Frequency((6, Gen.Const(-1)), (1, Gen.Int[0, 5]))
        select new PropertyCase(prefix, create, fallback, [.. updates], archiveBefore);

    public static Gen<RequestBody> Mutate(GeneratedBody body) =>
        from count in MutationCount
        from kept in Repeat(body, count)
        from mutated in TreeMutations.Break(kept)
        from style in Style
        from bytes in BreakText(JsonPieces.Render(mutated.Tree, style))
        from contentType in ContentType
        select new RequestBody(bytes.Bytes, contentType, mutated.Meaning.After(bytes.Effect), mutated.Notes.AddRange(bytes.Notes));

    private static Gen<RequestBody> Pristine(GeneratedBody body) =>
        Style.Select(style => new RequestBody(JsonPieces.Render(body.Tree, style), "application/json", body.Meaning, []));

    private static Gen<GeneratedBody> Repeat(GeneratedBody body, int count) =>
        count == 0 ? Gen.Const(body) : TreeMutations.Step(body).SelectMany(next => Repeat(next, count - 1));

    private sealed record BrokenText(byte[] Bytes, Effect Effect, ImmutableList<string> Notes);

    private static Gen<BrokenText> BreakText(byte[] text) => Gen.Frequency(
        (24, Gen.Const(new BrokenText(text, Effect.Preserve, []))),
        (2, Gen.Int[0, text.Length - 1].Select(length =>
            new BrokenText(text[..length], Effect.Unparsable, [$"truncate to {length} of {text.Length} bytes"]))),
        (2, Garbage.Select(garbage =>
            new BrokenText([.. text, .. garbage], Effect.Unparsable, [$"append \"{Encoding.UTF8.GetString(garbage)}\""]))),
        (1, Gen.OneOfConst(" ", "\n", "\t\r\n ").Select(space =>
            new BrokenText([.. Encoding.UTF8.GetBytes(space), .. text, .. Encoding.UTF8.GetBytes(space)], Effect.Preserve,
                ["surround with whitespace"]))),
        (1, Gen.Const(new BrokenText([0xEF, 0xBB, 0xBF, .. text], Effect.Scramble, ["prefix a UTF-8 byte order mark"]))),
        (1, Gen.OneOfConst("", " ", "\n\n").Select(blank =>
            new BrokenText(Encoding.UTF8.GetBytes(blank), Effect.Unparsable, ["send a blank body"]))),
        (1, Gen.Const(new BrokenText([.. text, 0xFF, 0xFE], Effect.Unparsable, ["append the bytes FF FE"]))));
}
