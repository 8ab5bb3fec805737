using System.Collections.Immutable;
using CsCheck;

namespace Berth.Api.Tests.Properties;

/// <summary>A body as a tree of JSON text, with what the contract says it must lead to.</summary>
internal sealed record GeneratedBody(JsonPiece Tree, Meaning Meaning, bool IsCreate, ImmutableList<string> Notes)
{
    public GeneratedBody Then(JsonPiece tree, Effect effect, string note) =>
        this with { Tree = tree, Meaning = Meaning.After(effect), Notes = Notes.Add(note) };
}

/// <summary>Generators of valid create and update bodies, from short and plain to every limit at once.</summary>
internal static class BodyGen
{
    // Shared by creates and updates, so that updates set, replace and delete keys that exist.
    private static readonly Gen<string> PooledKey = Gen.OneOfConst(
        "team", "owner", "tier", "region", "cost-center", "ticket", "a", "b", "c", "d", "e", "f", "g", "h", "i", "j",
        "k", "l", "m", "n", "😀", "日本", "x.y", "K");

    private static readonly Gen<string> Name = Gen.Frequency(
        (10, Gen.Int[1, 24].SelectMany(TextGen.NonBlank)),
        (2, Gen.Int[100, 256].SelectMany(TextGen.NonBlank)),
        (2, Gen.OneOfConst(255, 256).SelectMany(TextGen.NonBlank)));

    private static readonly Gen<string> Description = Gen.Frequency(
        (8, TextGen.Text(0, 40)),
        (1, TextGen.Text(0, 400)),
        (1, Gen.OneOfConst(2047, 2048).SelectMany(TextGen.Exactly)));

    private static readonly Gen<string> MetadataKey = Gen.Frequency(
        (6, PooledKey), (2, TextGen.Text(1, 16)), (1, TextGen.Exactly(64)));

    private static readonly Gen<string?> MetadataValue = Gen.Frequency<string?>(
        (10, TextGen.Text(1, 30)), (1, TextGen.Exactly(512)), (1, Gen.Const<string?>("")), (1, Gen.Const<string?>(default(string))));

    private static readonly Gen<KeyValuePair<string, string?>[]> Metadata = Gen.Frequency(
        (6, Gen.Int[0, 4]), (2, Gen.Int[5, 16]), (1, Gen.Int[15, 18]))
        .SelectMany(count => Gen.Select(MetadataKey, MetadataValue, KeyValuePair.Create).Array[count])
        .Select(entries => entries.DistinctBy(e => e.Key, StringComparer.Ordinal).ToArray());

    public static readonly Gen<GeneratedBody> Create =
        from name in Name
        from description in Sent.Optional(Description)
        from metadata in Sent.Optional(Metadata)
        from config in ConfigGen.Config
        from order in Gen.Int[0, 23]
        select BuildCreate(name, description, metadata, config, order);

    public static readonly Gen<GeneratedBody> Update =
        from name in Sent.Optional(Name, 4, 1, 2)
        from description in Sent.Optional(Description, 4, 1, 2)
        from metadata in Sent.Optional(Metadata, 3, 1, 3)
        from config in Sent.Optional(ConfigGen.Config, 3, 1, 3)
        from order in Gen.Int[0, 23]
        select BuildUpdate(name, description, metadata, config, order);

    private static GeneratedBody BuildCreate(
        string name,
        Sent<string> description,
        Sent<KeyValuePair<string, string?>[]> metadata,
        GeneratedConfig config,
        int order)
    {
        var members = new List<(string, JsonPiece)> { ("name", JsonPieces.String(name)) };
        description.AddTo(members, "description", JsonPieces.String);
        metadata.AddTo(members, "metadata", MetadataPiece);
        members.Add(("config", config.Request));
        var entries = metadata.ValueOrDefault ?? [];
        var kept = MetadataModel.Merge([], entries).Count;
        Meaning meaning = kept > MetadataModel.MaxKeys
            ? new Refused("metadata")
            : new CreateAccepted(new ExpectedEnvironment(name, description.ValueOrDefault ?? "", entries, config.Stored));

        return new GeneratedBody(Object(members, order), meaning, IsCreate: true, []);
    }

    private static GeneratedBody BuildUpdate(
        Sent<string> name,
        Sent<string> description,
        Sent<KeyValuePair<string, string?>[]> metadata,
        Sent<GeneratedConfig> config,
        int order)
    {
        var members = new List<(string, JsonPiece)>();
        name.AddTo(members, "name", JsonPieces.String);
        description.AddTo(members, "description", JsonPieces.String);
        metadata.AddTo(members, "metadata", MetadataPiece);
        config.AddTo(members, "config", c => c.Request);

        // An explicit null description clears it; every other null keeps the stored value.
        var newDescription = description.Presence == Presence.Null ? "" : description.ValueOrDefault;
        var patch = new PatchModel(name.ValueOrDefault, newDescription, metadata.ValueOrDefault, config.ValueOrDefault?.Change);

        return new GeneratedBody(Object(members, order), new UpdateAccepted(patch), IsCreate: false, []);
    }

    private static JsonObjectPiece MetadataPiece(KeyValuePair<string, string?>[] entries) =>
        JsonObjectPiece.Of([.. entries.Select(e => (e.Key, e.Value is null ? JsonLiteralPiece.Null : (JsonPiece)JsonPieces.String(e.Value)))]);

    // Rotates the members by an amount the generator chose, so that no field is always first.
    private static JsonObjectPiece Object(List<(string, JsonPiece)> members, int order)
    {
        var start = members.Count == 0 ? 0 : order % members.Count;

        return JsonObjectPiece.Of([.. members.Skip(start), .. members.Take(start)]);
    }
}
