using System.Text;
using CsCheck;

namespace Berth.Api.Tests.Properties;

/// <summary>A replacement string and whether the contract refuses it for the field it goes into.</summary>
internal sealed record StringChoice(string Value, bool IsInvalid);

/// <summary>Strings to put into a field: just past each limit, at it, and values the field's grammar refuses.</summary>
internal static class StringValues
{
    private static readonly Gen<string> Blank =
        Gen.OneOfConst(" ", "\t", "\n", "\r", "\u00a0", "\u2003", "\u2028", "\u3000").Array[1, 5].Select(string.Concat);

    private static readonly Gen<StringChoice> Anything = TextGen.Text(0, 20).Select(Unknown);

    private static readonly Gen<StringChoice> Name = Gen.Frequency(
        (3, Gen.Int[257, 260].SelectMany(TextGen.NonBlank).Select(Invalid)),
        (1, Blank.Select(Invalid)),
        (1, Gen.Const(Invalid(""))),
        (1, TextGen.NonBlank(256).Select(Unknown)),
        (1, Anything));

    private static readonly Gen<StringChoice> Description = Gen.Frequency(
        (3, Gen.Int[2049, 2051].SelectMany(TextGen.Exactly).Select(Invalid)),
        (1, TextGen.Exactly(2048).Select(Unknown)),
        (1, Anything));

    private static readonly Gen<StringChoice> MetadataValue = Gen.Frequency(
        (3, Gen.Int[513, 515].SelectMany(TextGen.Exactly).Select(Invalid)),
        (1, TextGen.Exactly(512).Select(Unknown)),
        (1, Anything));

    private static readonly Gen<StringChoice> SetupScript = Gen.Frequency(
        (3, TextGen.Utf8Bytes(65_537).Select(Invalid)),
        (1, TextGen.Utf8Bytes(65_536).Select(Unknown)),
        (1, Anything));

    private static readonly Gen<StringChoice> ConfigType =
        Gen.OneOfConst("Cloud", "CLOUD", "self_hosted", " cloud", "cloud ", "", "cloud\u0000", "clоud", "☁").Select(Invalid);

    private static readonly Gen<StringChoice> NetworkingType = Gen.OneOfConst(
        "open", "LIMITED", "Limited", "allow_list", "allowed-hosts", "", "none", "unrestricted ", "limitéd").Select(Invalid);

    private static readonly Gen<StringChoice> PackagesMarker =
        Gen.OneOfConst("package", "Packages", "", "apt", "packages ").Select(Invalid);

    private static readonly Gen<StringChoice> Host = Gen.OneOfConst(
        "a😀.com", "ÄBC.com", "Example.com", "exa mple.com", "https://a.com", "a.com:443", "10.0.0.1", "[::1]",
        "*.*.a.com", "a..com", "-a.com", "", "a.com/", new string('a', 254), "xn--😀.com", "*", "a.123", "a_b.com",
        "bücher.de", "a.com.", "a\u0000.com").Select(Invalid);

    // Refused by all three managers' grammars alike.
    private static readonly Gen<StringChoice> Spec = Gen.OneOfConst(
        "-y", "a b", "a;b", "$(id)", "`id`", "a|b", "a&b", "a\"b", "a'b", "a\\b", "", new string('a', 215),
        "😀", "pkg😀", "a\nb", "a>", "pkg\u0000").Select(Invalid);

    public static Gen<StringChoice> For(string? param) => param switch
    {
        null => Anything,
        "name" => Name,
        "description" => Description,
        "config.setup_script" => SetupScript,
        "config.type" => ConfigType,
        "config.networking.type" => NetworkingType,
        "config.packages.type" => PackagesMarker,
        _ when param.StartsWith("metadata.", StringComparison.Ordinal) => MetadataValue,
        _ when param.StartsWith("config.networking.allowed_hosts[", StringComparison.Ordinal) => Host,
        _ when param.StartsWith("config.packages.", StringComparison.Ordinal) => Spec,
        _ => Anything,
    };

    /// <summary>A short, printable rendering of a possibly huge or unprintable string, for failure messages.</summary>
    public static string Describe(string value)
    {
        var text = new StringBuilder("\"");
        foreach (var rune in value.EnumerateRunes().Take(40))
        {
            text.Append(rune.Value is < 0x20 or 0x7f ? $"\\u{rune.Value:x4}" : rune.ToString());
        }

        var length = TextGen.Characters(value);

        return text.Append(length > 40 ? $"…\" ({length} characters)" : "\"").ToString();
    }

    private static StringChoice Invalid(string value) => new(value, IsInvalid: true);

    private static StringChoice Unknown(string value) => new(value, IsInvalid: false);
}
