using System.Text.Json.Nodes;
using CsCheck;

namespace Berth.Api.Tests.Properties;

/// <summary>A valid <c>config</c>: the request, the stored config it makes, and the change it makes to another.</summary>
internal sealed record GeneratedConfig(JsonObjectPiece Request, JsonObject Stored, ConfigChange Change);

/// <summary>Generators of valid configs: networking modes, host patterns, package specs, setup scripts.</summary>
internal static class ConfigGen
{
    private const string Lower = "abcdefghijklmnopqrstuvwxyz";
    private const string Digits = "0123456789";
    private const string Upper = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";

    // 63 + 1 + 63 + 1 + 63 + 1 + 61: the longest host pattern the contract allows.
    private static readonly string LongestHost =
        string.Join('.', new string('a', 63), new string('b', 63), new string('c', 63), new string('d', 61));

    private static readonly string LongestSpec = new('a', 214);

    public static readonly Gen<string> Host = Gen.Frequency(
        (20, Gen.Select(Gen.Bool, Label().Array[0, 3], Word(Lower, 2, 6), (wildcard, labels, top) =>
            (wildcard ? "*." : "") + string.Join('.', labels.Append(top)))),
        (1, Gen.Const(LongestHost)),
        (1, Gen.Const(new string('x', 63) + ".example.com")));

    public static readonly Gen<string> AptSpec = Gen.Frequency(
        (6, AptName()),
        (2, Gen.Select(AptName(), Word(Digits, 1, 1), Word(Lower + Upper + Digits + ".+~:-", 0, 8), (n, d, v) => $"{n}={d}{v}")),
        (2, Gen.Select(AptName(), Word(Lower + Digits, 1, 1), Word(Lower + Digits + ".+_-", 0, 10), (n, f, r) => $"{n}/{f}{r}")),
        (1, Gen.Const(LongestSpec)));

    public static readonly Gen<string> PipSpec = Gen.Frequency(
        (10, Gen.Select(PipName(), PipExtras(), PipSpecifier().Array[0, 2], (name, extras, specifiers) =>
            name + extras + string.Join(',', specifiers))),
        (1, Gen.Const(LongestSpec)));

    public static readonly Gen<string> NpmSpec = Gen.Frequency(
        (10, Gen.Select(Gen.OneOf(NpmName(), NpmScopedName()), NpmVersion(), (name, version) => name + version)),
        (1, Gen.Const(LongestSpec)));

    public static readonly Gen<string> SetupScript = Gen.Frequency(
        (40, TextGen.Script(0, 120)),
        (1, TextGen.Utf8Bytes(65_536)),
        (1, TextGen.Utf8Bytes(65_535)));

    public static readonly Gen<GeneratedConfig> Config =
        from networking in Sent.Optional(Networking())
        from packages in Sent.Optional(Packages())
        from script in Sent.Optional(SetupScript)
        from order in Gen.Int[0, 5]
        select Build(networking, packages, script, order);

    private static GeneratedConfig Build(
        Sent<(JsonObjectPiece, JsonObject)> networking,
        Sent<(JsonObjectPiece, JsonObject)> packages,
        Sent<string> script,
        int order)
    {
        var members = new List<(string, JsonPiece)>();
        networking.AddTo(members, "networking", n => n.Item1);
        packages.AddTo(members, "packages", p => p.Item1);
        script.AddTo(members, "setup_script", JsonPieces.String);

        // "type" goes first, last or in between, since clients order fields as they please.
        members.Insert(order % (members.Count + 1), ("type", JsonPieces.String("cloud")));
        var stored = new JsonObject { ["type"] = "cloud" };
        var change = new ConfigChange(networking.ValueOrDefault.Item2, packages.ValueOrDefault.Item2, script.ValueOrDefault);
        AddStored(stored, "networking", change.Networking);
        AddStored(stored, "packages", change.Packages);
        AddStored(stored, "setup_script", change.SetupScript is { } text ? JsonValue.Create(text) : null);

        return new GeneratedConfig(JsonObjectPiece.Of([.. members]), stored, change);
    }

    private static void AddStored(JsonObject stored, string name, JsonNode? value)
    {
        if (value is not null)
        {
            stored[name] = value.DeepClone();
        }
    }

    private static Gen<(JsonObjectPiece, JsonObject)> Networking() => Gen.Frequency(
        (2, Sent.Optional(Hosts(), 4, 1, 0).Select(hosts => Networking("unrestricted", "unrestricted", hosts, Sent<bool>.Absent, Sent<bool>.Absent))),
        (3, Gen.Select(Sent.Optional(Hosts(0)), Sent.Optional(Gen.Bool), Sent.Optional(Gen.Bool), (hosts, managers, mcp) =>
            Networking("limited", "limited", hosts, managers, mcp))),
        (3, Gen.Select(Gen.OneOfConst("allowed_hosts", "allowlist"), Hosts(1), Sent.Optional(Gen.Bool, 3, 1, 0), (type, hosts, flag) =>
            Networking(type, "allowed_hosts", Sent<string[]>.Of(hosts), flag, flag))));

    private static (JsonObjectPiece, JsonObject) Networking(
        string type, string storedType, Sent<string[]> hosts, Sent<bool> managers, Sent<bool> mcp)
    {
        var members = new List<(string, JsonPiece)> { ("type", JsonPieces.String(type)) };
        hosts.AddTo(members, "allowed_hosts", StringArray);
        managers.AddTo(members, "allow_package_managers", JsonLiteralPiece.Boolean);
        mcp.AddTo(members, "allow_mcp_servers", JsonLiteralPiece.Boolean);
        var stored = new JsonObject { ["type"] = storedType };
        if (hosts.IsValue)
        {
            stored["allowed_hosts"] = new JsonArray([.. hosts.Value.Select(h => JsonValue.Create(h))]);
        }

        if (managers.IsValue)
        {
            stored["allow_package_managers"] = managers.Value;
        }

        if (mcp.IsValue)
        {
            stored["allow_mcp_servers"] = mcp.Value;
        }

        return (JsonObjectPiece.Of([.. members]), stored);
    }

    private static Gen<string[]> Hosts(int min = 1) => Gen.Frequency((12, Host.Array[min, 4]), (1, Host.Array[256]));

    private static Gen<(JsonObjectPiece, JsonObject)> Packages() =>
        from marker in Sent.Optional(Gen.Const("packages"), 6, 1, 1)
        from apt in Sent.Optional(Specs(AptSpec))
        from pip in Sent.Optional(Specs(PipSpec))
        from npm in Sent.Optional(Specs(NpmSpec))
        select Packages(marker, apt, pip, npm);

    private static (JsonObjectPiece, JsonObject) Packages(
        Sent<string> marker, Sent<string[]> apt, Sent<string[]> pip, Sent<string[]> npm)
    {
        var members = new List<(string, JsonPiece)>();
        marker.AddTo(members, "type", JsonPieces.String);
        var stored = new JsonObject();
        foreach (var (name, list) in new[] { ("apt", apt), ("pip", pip), ("npm", npm) })
        {
            list.AddTo(members, name, StringArray);
            if (list.IsValue)
            {
                stored[name] = new JsonArray([.. list.Value.Select(s => JsonValue.Create(s))]);
            }
        }

        return (JsonObjectPiece.Of([.. members]), stored);
    }

    private static Gen<string[]> Specs(Gen<string> spec) => Gen.Frequency((12, spec.Array[0, 4]), (1, spec.Array[256]));

    private static JsonArrayPiece StringArray(string[] items) => JsonArrayPiece.Of(items.Select(JsonPieces.String));

    private static Gen<string> Word(string characters, int min, int max) =>
        Gen.Char[characters].Array[min, max].Select(chars => new string(chars));

    // A DNS label: letters, digits and '-', neither first nor last.
    private static Gen<string> Label() => Gen.Frequency(
        (4, Word(Lower + Digits, 1, 1)),
        (8, Gen.Select(Word(Lower + Digits, 1, 1), Word(Lower + Digits + "-", 0, 10), Word(Lower + Digits, 1, 1),
            (first, middle, last) => first + middle + last)));

    private static Gen<string> AptName() =>
        Gen.Select(Word(Lower + Digits, 1, 1), Word(Lower + Digits + "+-.", 1, 14), (first, rest) => first + rest);

    private static Gen<string> PipName() => Gen.Frequency(
        (1, Word(Lower + Upper + Digits, 1, 1)),
        (4, Gen.Select(Word(Lower + Upper + Digits, 1, 1), Word(Lower + Upper + Digits + "._-", 0, 10),
            Word(Lower + Upper + Digits, 1, 1), (first, middle, last) => first + middle + last)));

    private static Gen<string> PipExtras() => Gen.Frequency(
        (4, Gen.Const("")),
        (1, PipName().Array[0, 2].Select(extras => "[" + string.Join(',', extras) + "]")));

    private static Gen<string> PipSpecifier() => Gen.Select(
        Gen.OneOfConst("===", "~=", "==", "!=", "<=", ">=", "<", ">"),
        Word(Lower + Upper + Digits, 1, 1),
        Word(Lower + Upper + Digits + ".*+!_-", 0, 6),
        (op, first, rest) => op + first + rest);

    private static Gen<string> NpmName() =>
        Gen.Select(Word(Lower + Digits, 1, 1), Word(Lower + Digits + "-._", 0, 12), (first, rest) => first + rest);

    private static Gen<string> NpmScopedName() => Gen.Select(NpmName(), NpmName(), (scope, name) => $"@{scope}/{name}");

    private static Gen<string> NpmVersion() => Gen.Frequency(
        (2, Gen.Const("")),
        (1, Gen.Select(Word(Lower + Upper + Digits + "^~*", 1, 1), Word(Lower + Upper + Digits + ".^~*+_-", 0, 8),
            (first, rest) => "@" + first + rest)));
}
