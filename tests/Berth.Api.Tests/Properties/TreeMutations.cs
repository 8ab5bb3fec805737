using CsCheck;

namespace Berth.Api.Tests.Properties;

/// <summary>
/// Mutations of a body's JSON tree. Each one also says how it changes what the body means: the server
/// must ignore it, must refuse the body naming one field, or may do anything clean.
/// </summary>
internal static class TreeMutations
{
    private static readonly string[] LoneSurrogates = ["\\ud800", "\\udfff", "\\uD83D", "\\ude00\\ud83d", "\\ud83d\\u0041", "\\uDBFF"];

    private static readonly string[] RawControls = ["\u0000", "\u0001", "\n", "\t", "\r", "\u001f"];

    private static readonly byte[][] InvalidUtf8 =
    [
        [0xFF], [0x80], [0xC0, 0xAF], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xE2, 0x82],
    ];

    /// <summary>One mutation that keeps the body JSON text, so that a later one can build on it.</summary>
    public static Gen<GeneratedBody> Step(GeneratedBody body)
    {
        var nodes = JsonTree.Walk(body.Tree);
        var members = nodes.Where(n => n.Parent is not null).ToArray();
        var strings = nodes.Where(n => n.Node is JsonStringPiece { Value: not null }).ToArray();
        var objects = Objects(nodes);
        var options = new List<(int, IGen<GeneratedBody>)>();
        AddIf(options, objects, 4, () => AddUnknownMember(body, objects));
        AddIf(options, members, 2, () => DuplicateMember(body, members));
        AddIf(options, members, 3, () => DropMember(body, members));
        AddIf(options, nodes.Count > 1 ? nodes : [], 4, () => ChangeKind(body, nodes[1..]));
        AddIf(options, strings, 4, () => SetString(body, strings));
        AddIf(options, strings, 2, () => InjectLoneSurrogate(body, strings));
        AddIf(options, members, 1, () => InjectLoneSurrogateInName(body, members));
        AddIf(options, strings, 1, () => InjectInvalidUtf8(body, strings));
        AddIf(options, objects, 1, () => AddDeepNesting(body, objects, Gen.Frequency((2, Gen.Int[5, 20]), (1, Gen.Int[60, 68]))));
        AddIf(options, objects, 1, () => HugeArray(body, nodes, objects));

        return options.Count == 0 ? NonObject(body) : Gen.Frequency([.. options]);
    }

    /// <summary>
    /// Maybe one mutation that makes the body invalid JSON or not an object. It comes after all others,
    /// since a later one could drop or replace the broken part.
    /// </summary>
    public static Gen<GeneratedBody> Break(GeneratedBody body)
    {
        var nodes = JsonTree.Walk(body.Tree);
        var strings = nodes.Where(n => n.Node is JsonStringPiece { Value: not null }).ToArray();
        var objects = Objects(nodes);
        var options = new List<(int, IGen<GeneratedBody>)> { (30, Gen.Const(body)), (2, NonObject(body)) };
        AddIf(options, strings, 1, () => InjectRawControl(body, strings));
        AddIf(options, objects, 1, () => AddDeepNesting(body, objects, Gen.OneOfConst(100, 1_000, 3_000)));
        AddIf(options, nodes.Count > 1 ? nodes : [], 1, () => ReplaceWithDeepNesting(body, nodes[1..]));

        return Gen.Frequency([.. options]);
    }

    private static Located[] Objects(List<Located> nodes) =>
        [.. nodes.Where(n => n.Node is JsonObjectPiece && (n.IsIgnored || n.Role is { Kind: JsonKind.Object }))];

    private static void AddIf<T>(List<(int, IGen<GeneratedBody>)> options, IReadOnlyCollection<T> targets, int weight,
        Func<Gen<GeneratedBody>> mutation)
    {
        if (targets.Count > 0)
        {
            options.Add((weight, mutation()));
        }
    }

    private static Gen<GeneratedBody> NonObject(GeneratedBody body) =>
        Gen.OneOf(
            Gen.Const<JsonPiece>(JsonArrayPiece.Of([body.Tree])),
            Gen.Const<JsonPiece>(JsonArrayPiece.Of([])),
            Gen.Const<JsonPiece>(JsonPieces.String("{}")),
            ValueGen.OfKind(JsonKind.String),
            ValueGen.OfKind(JsonKind.Number),
            ValueGen.OfKind(JsonKind.Boolean),
            ValueGen.OfKind(JsonKind.Null))
        .Select(root => body.Then(root, Effect.Unparsable, "replace the body with a value that is not an object"));

    private static Gen<GeneratedBody> AddUnknownMember(GeneratedBody body, Located[] objects) =>
        from target in Gen.OneOfConst(objects)
        from name in ValueGen.UnknownName
        from value in ValueGen.Any
        from position in Gen.Int[0, ((JsonObjectPiece)target.Node).Members.Count]
        select body.Then(
            Insert(body, target, position, name with { Value = value }),
            AddEffect(target, name.Name),
            $"add member {Show(name)} to {Where(target)}");

    /// <summary>What adding a member called <paramref name="name"/> (null: undecodable) to an object does.</summary>
    private static Effect AddEffect(Located target, string? name)
    {
        if (!target.Predictable)
        {
            return Effect.Scramble;
        }

        var param = target.Role?.Param;
        if (name is null)
        {
            // An undecodable name: the server refuses the body and names the object that holds it.
            return param is null ? Effect.Scramble : param.Length == 0 ? Effect.RefuseBody : Effect.Refuse(param);
        }

        var known = JsonTree.KnownNames(param ?? "");

        return param switch
        {
            null => Effect.Preserve,
            "metadata" => Effect.Scramble,

            // Unknown keys in packages are refused: they are most likely a package manager the client expects.
            "config.packages" => !known.Contains(name)
                ? Effect.Refuse($"config.packages.{name}")
                : Effect.Scramble,
            _ => known.Contains(name) ? Effect.Scramble : Effect.Preserve,
        };
    }

    private static Gen<GeneratedBody> DuplicateMember(GeneratedBody body, Located[] members) =>
        from target in Gen.OneOfConst(members)
        from identical in Gen.Frequency((3, Gen.Const(true)), (1, Gen.Const(false)))
        from value in ValueGen.Any
        from position in Gen.Int[0, ((JsonObjectPiece)target.Parent!.Node).Members.Count]
        select body.Then(
            Insert(body, target.Parent!, position, identical ? target.Member! : target.Member! with { Value = value }),
            !target.Predictable ? Effect.Scramble : identical || target.Role is null ? Effect.Preserve : Effect.Scramble,
            $"duplicate {Where(target)}{(identical ? "" : " with another value")}");

    private static Gen<GeneratedBody> DropMember(GeneratedBody body, Located[] members) =>
        Gen.OneOfConst(members).Select(target => body.Then(
            JsonTree.EditObject(body.Tree, target.Parent!, o => o with { Members = o.Members.RemoveAt(target.Path[^1]) }),
            DropEffect(body, target),
            $"drop {Where(target)}"));

    private static Effect DropEffect(GeneratedBody body, Located target)
    {
        if (!target.Predictable)
        {
            return Effect.Scramble;
        }

        if (target.Role is null)
        {
            return Effect.Preserve;
        }

        var param = target.Role.Param;

        // Null means omitted, except for a description (null clears it) and metadata values (null deletes).
        if (target.Node is JsonLiteralPiece { Text: "null" })
        {
            return param == "description" || param.StartsWith("metadata.", StringComparison.Ordinal)
                ? Effect.Scramble
                : Effect.Preserve;
        }

        return param switch
        {
            "name" or "config" when body.IsCreate => Effect.Refuse(param),
            "config.type" or "config.networking.type" => Effect.Refuse(param),
            "config.networking.allowed_hosts" when NetworkingType(target.Parent!) is "allowed_hosts" or "allowlist" =>
                Effect.Refuse(param),
            _ => Effect.Scramble,
        };
    }

    private static Gen<GeneratedBody> ChangeKind(GeneratedBody body, IReadOnlyList<Located> nodes) =>
        from target in Gen.OneOfConst([.. nodes])
        from kind in Gen.OneOfConst([.. Enum.GetValues<JsonKind>().Where(k => k != JsonPieces.KindOf(target.Node))])
        from value in ValueGen.OfKind(kind)
        select body.Then(
            JsonTree.Replace(body.Tree, target.Path, _ => value),
            !target.Predictable ? Effect.Scramble
                : target.Role is null ? Effect.Preserve
                : kind != JsonKind.Null && kind != target.Role.Kind ? Effect.Refuse(target.Role.Param)
                : Effect.Scramble,
            $"make {Where(target)} {kind}");

    private static Gen<GeneratedBody> SetString(GeneratedBody body, Located[] strings) =>
        from target in Gen.OneOfConst(strings)
        from choice in StringValues.For(target.Role?.Param)
        select body.Then(
            JsonTree.Replace(body.Tree, target.Path, _ => JsonPieces.String(choice.Value)),
            StringEffect(target, choice.IsInvalid),
            $"set {Where(target)} to {StringValues.Describe(choice.Value)}");

    private static Gen<GeneratedBody> InjectLoneSurrogate(GeneratedBody body, Located[] strings) =>
        from target in Gen.OneOfConst(strings)
        from surrogate in Gen.OneOfConst(LoneSurrogates)
        from atStart in Gen.Bool
        let raw = Around(((JsonStringPiece)target.Node).Value!, surrogate, atStart)
        select body.Then(
            JsonTree.Replace(body.Tree, target.Path, _ => new JsonStringPiece(null, raw)),
            SurrogateEffect(target),
            $"put the lone surrogate {surrogate} into {Where(target)}");

    private static Effect StringEffect(Located target, bool isInvalid) =>
        !target.Predictable ? Effect.Scramble
            : target.Role is null ? Effect.Preserve
            : isInvalid && target.Role.Kind == JsonKind.String ? Effect.Refuse(target.Role.Param)
            : Effect.Scramble;

    private static Gen<GeneratedBody> InjectLoneSurrogateInName(GeneratedBody body, Located[] members) =>
        from target in Gen.OneOfConst(members)
        from surrogate in Gen.OneOfConst(LoneSurrogates)
        from atStart in Gen.Bool
        let member = target.Member!
        let raw = member.Name is null ? member.RawName! + surrogate : Around(member.Name, surrogate, atStart)
        select body.Then(
            JsonTree.EditObject(body.Tree, target.Parent!, o => o with
            {
                Members = o.Members.SetItem(target.Path[^1], member with { Name = null, RawName = raw }),
            }),
            NameEffect(target),
            $"put the lone surrogate {surrogate} into the name of {Where(target)}");

    // The server refuses a body holding a lone surrogate anywhere, before it reads any field, and
    // names the string or, for a member name, the object that holds it. In an ignored part of the
    // body the generator does not track that path, so any clean answer will do.
    private static Effect SurrogateEffect(Located target) =>
        !target.Predictable || target.Role is null ? Effect.Scramble : Effect.Refuse(target.Role.Param);

    private static Effect NameEffect(Located target) =>
        !target.Predictable || target.Parent!.Role is null ? Effect.Scramble
            : target.Parent.Role.Param.Length == 0 ? Effect.RefuseBody
            : Effect.Refuse(target.Parent.Role.Param);

    private static Gen<GeneratedBody> InjectRawControl(GeneratedBody body, Located[] strings) =>
        from target in Gen.OneOfConst(strings)
        from control in Gen.OneOfConst(RawControls)
        from atStart in Gen.Bool
        let raw = Around(((JsonStringPiece)target.Node).Value!, control, atStart)
        select body.Then(
            JsonTree.Replace(body.Tree, target.Path, _ => new JsonStringPiece(null, raw)),
            Effect.Unparsable,
            $"put the raw control character U+{(int)control[0]:X4} into {Where(target)}");

    private static Gen<GeneratedBody> InjectInvalidUtf8(GeneratedBody body, Located[] strings) =>
        from target in Gen.OneOfConst(strings)
        from bad in Gen.OneOfConst(InvalidUtf8)
        let text = System.Text.Encoding.UTF8.GetBytes(JsonPieces.Escape(((JsonStringPiece)target.Node).Value!, EscapeStyle.Minimal))
        select body.Then(
            JsonTree.Replace(body.Tree, target.Path, _ => new JsonBytesPiece([.. text, .. bad])),
            Effect.Scramble,
            $"append the bytes {Convert.ToHexString(bad)}, which are not UTF-8, to {Where(target)}");

    private static Gen<GeneratedBody> AddDeepNesting(GeneratedBody body, Located[] objects, Gen<int> depths) =>
        from target in Gen.OneOfConst(objects)
        from depth in depths
        from inObjects in Gen.Bool
        select body.Then(
            Insert(body, target, 0, new JsonMember("nested", null, ValueGen.Nested(depth, inObjects))),
            depth <= 20 ? AddEffect(target, "nested") : depth >= 100 ? Effect.Unparsable : Effect.Scramble,
            $"add a member nested {depth} levels deep to {Where(target)}");

    private static Gen<GeneratedBody> ReplaceWithDeepNesting(GeneratedBody body, IReadOnlyList<Located> nodes) =>
        from target in Gen.OneOfConst([.. nodes])
        from depth in Gen.OneOfConst(100, 1_000, 3_000)
        from inObjects in Gen.Bool
        select body.Then(
            JsonTree.Replace(body.Tree, target.Path, _ => ValueGen.Nested(depth, inObjects)),
            Effect.Unparsable,
            $"replace {Where(target)} with a value nested {depth} levels deep");

    private static Gen<GeneratedBody> HugeArray(GeneratedBody body, List<Located> nodes, Located[] objects)
    {
        var lists = nodes.Where(n => n.Role is { Kind: JsonKind.Array } && n.Node is JsonArrayPiece).ToArray();
        var options = new List<(int, IGen<GeneratedBody>)>
        {
            (2, from target in Gen.OneOfConst(objects)
                from count in Gen.OneOfConst(1_000, 10_000)
                select body.Then(
                    Insert(body, target, 0, new JsonMember("many", null, ValueGen.NumberArray(count))),
                    AddEffect(target, "many"),
                    $"add an array of {count} numbers to {Where(target)}")),
        };
        if (lists.Length > 0)
        {
            options.Add((2, from target in Gen.OneOfConst(lists)
                            from count in Gen.OneOfConst(257, 300, 1_000, 3_000)
                            let format = target.Role!.Param.EndsWith("hosts", StringComparison.Ordinal) ? "h{0}.example.com" : "pkg{0}"
                            select body.Then(
                                JsonTree.Replace(body.Tree, target.Path, _ => ValueGen.StringArray(count, format)),
                                target.Predictable ? Effect.Refuse(target.Role!.Param) : Effect.Scramble,
                                $"make {Where(target)} an array of {count} valid items")));
        }

        if (body.Tree is JsonObjectPiece)
        {
            options.Add((1, Gen.OneOfConst(17, 100, 1_000).Select(count => ManyMetadataKeys(body, nodes[0], count))));
        }

        return Gen.Frequency([.. options]);
    }

    private static GeneratedBody ManyMetadataKeys(GeneratedBody body, Located root, int count)
    {
        var metadata = new JsonObjectPiece([.. Enumerable.Range(0, count)
            .Select(i => new JsonMember($"k{i}", null, JsonPieces.String("v")))]);
        var members = ((JsonObjectPiece)root.Node).Members;
        var existing = members.FindAll(m => m.Name == "metadata");
        var tree = existing.Count == 1
            ? JsonTree.EditObject(body.Tree, root, o => o with
            {
                Members = o.Members.Replace(existing[0], existing[0] with { Value = metadata }),
            })
            : Insert(body, root, 0, new JsonMember("metadata", null, metadata));

        // On an update the key limit applies to the merged metadata, after the state checks.
        var effect = body.IsCreate && existing.Count <= 1 ? Effect.Refuse("metadata") : Effect.Scramble;

        return body.Then(tree, effect, $"send metadata with {count} keys");
    }

    private static JsonPiece Insert(GeneratedBody body, Located obj, int position, JsonMember member) =>
        JsonTree.EditObject(body.Tree, obj, o => o with { Members = o.Members.Insert(position, member) });

    private static string Around(string value, string inserted, bool atStart)
    {
        var escaped = JsonPieces.Escape(value, EscapeStyle.Minimal);

        return atStart ? inserted + escaped : escaped + inserted;
    }

    private static string? NetworkingType(Located networking) =>
        networking.Node is JsonObjectPiece obj
            ? obj.Members.LastOrDefault(m => m.Name == "type")?.Value is JsonStringPiece { Value: var type } ? type : null
            : null;

    private static string Where(Located node) =>
        node.Role?.Param ?? (node.Path.Count == 0 ? "the body" : "/" + string.Join('/', node.Path));

    private static string Show(JsonMember member) => member.Name is { } name ? StringValues.Describe(name) : $"\"{member.RawName}\"";
}
