using System.Text.Json;
using System.Text.Json.Nodes;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Berth.Cli.Invocation;

/// <summary>A request body written by hand in a JSON or YAML file, or on stdin with <c>-</c>.</summary>
internal static class BodyFile
{
    public static async Task<JsonObject> ReadAsync(string path, CancellationToken cancellationToken)
    {
        var text = path == "-"
            ? await Console.In.ReadToEndAsync(cancellationToken)
            : await ReadFileAsync(path, cancellationToken);
        var name = path == "-" ? "stdin" : path;

        // YAML is a superset of JSON, but reading JSON as JSON keeps its numbers and error messages exact.
        var node = LooksLikeJson(text) ? ParseJson(text, name) : ParseYaml(text, name);

        return node as JsonObject
            ?? throw new UsageException($"{name} must hold one object, such as name: ... and config: ...");
    }

    private static async Task<string> ReadFileAsync(string path, CancellationToken cancellationToken)
    {
        if (!File.Exists(path))
        {
            throw new UsageException($"No file {path} exists.");
        }

        return await File.ReadAllTextAsync(path, cancellationToken);
    }

    private static bool LooksLikeJson(string text) => text.TrimStart().StartsWith('{');

    private static JsonNode? ParseJson(string text, string name)
    {
        try
        {
            return JsonNode.Parse(text);
        }
        catch (JsonException error)
        {
            throw new UsageException($"{name} is not valid JSON: {error.Message}");
        }
    }

    private static JsonNode? ParseYaml(string text, string name)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException error)
        {
            throw new UsageException($"{name} is not valid YAML: {error.Message}");
        }

        return stream.Documents.Count == 0 ? null : YamlToJson.Convert(stream.Documents[0].RootNode);
    }
}
