using System.Globalization;
using System.Text.Json.Nodes;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Berth.Cli.Invocation;

/// <summary>
/// Turns a YAML document into the JSON it stands for. Unquoted <c>true</c>, <c>false</c>,
/// <c>null</c> and numbers become JSON literals, as YAML 1.2's core schema reads them; quoted
/// scalars stay strings.
/// </summary>
internal static class YamlToJson
{
    public static JsonNode? Convert(YamlNode node) => node switch
    {
        YamlMappingNode mapping => Object(mapping),
        YamlSequenceNode sequence => new JsonArray([.. sequence.Children.Select(Convert)]),
        YamlScalarNode scalar => Scalar(scalar),
        _ => throw new UsageException($"YAML aliases and tags are not supported (line {node.Start.Line})."),
    };

    private static JsonObject Object(YamlMappingNode mapping)
    {
        var result = new JsonObject();
        foreach (var (key, value) in mapping.Children)
        {
            if (key is not YamlScalarNode { Value: { } name })
            {
                throw new UsageException($"YAML keys must be plain text (line {key.Start.Line}).");
            }

            result[name] = Convert(value);
        }

        return result;
    }

    private static JsonValue? Scalar(YamlScalarNode scalar)
    {
        var text = scalar.Value ?? "";
        if (scalar.Style != ScalarStyle.Plain)
        {
            return JsonValue.Create(text);
        }

        return text switch
        {
            "" or "~" or "null" or "Null" or "NULL" => null,
            "true" or "True" or "TRUE" => JsonValue.Create(true),
            "false" or "False" or "FALSE" => JsonValue.Create(false),
            _ when long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var whole) =>
                JsonValue.Create(whole),
            _ when double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var real)
                && !double.IsInfinity(real) && !double.IsNaN(real) => JsonValue.Create(real),
            _ => JsonValue.Create(text),
        };
    }
}
