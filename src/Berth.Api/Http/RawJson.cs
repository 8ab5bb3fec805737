using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Berth.Api.Http;

/// <summary>A JSON object kept as the text the server stored, and written into responses as it is.</summary>
/// <remarks>
/// Parsing stored config or metadata into a document only to write it out again cost more than
/// the rest of a read. Every such text was written by the server's own serializers, so it is
/// valid JSON and is not checked again on the way out.
/// </remarks>
[JsonConverter(typeof(RawJsonConverter))]
public readonly record struct RawJson(string Text);

/// <summary>Writes a <see cref="RawJson"/> as its text, and reads any JSON value into one.</summary>
internal sealed class RawJsonConverter : JsonConverter<RawJson>
{
    public override RawJson Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        using var document = JsonDocument.ParseValue(ref reader);

        return new RawJson(document.RootElement.GetRawText());
    }

    public override void Write(Utf8JsonWriter writer, RawJson value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);

        writer.WriteRawValue(value.Text, skipInputValidation: true);
    }
}

/// <summary>Describes <see cref="RawJson"/> in the OpenAPI document as the JSON object it holds.</summary>
internal static class RawJsonSchema
{
    public static OpenApiOptions DescribeRawJson(this OpenApiOptions options)
    {
        // Inline: the document shows an object where one is returned, and no type of the server's own.
        var referenceId = options.CreateSchemaReferenceId;
        options.CreateSchemaReferenceId = type => IsRawJson(type.Type) ? null : referenceId(type);
        options.AddSchemaTransformer((schema, context, _) =>
        {
            if (IsRawJson(context.JsonTypeInfo.Type))
            {
                schema.Type = JsonSchemaType.Object;
            }

            return Task.CompletedTask;
        });

        return options;
    }

    private static bool IsRawJson(Type type) => type == typeof(RawJson) || type == typeof(RawJson?);
}
