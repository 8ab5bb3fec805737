using System.Buffers;
using System.Text.Json;
using Berth.Core.Validation;

namespace Berth.Api.Http;

/// <summary>Reads JSON request bodies within the API's size limit.</summary>
public static class JsonBody
{
    /// <summary>The largest JSON body accepted.</summary>
    public const long MaxBytes = 32L * 1024 * 1024;

    private static readonly JsonDocumentOptions Options = new() { MaxDepth = 64 };

    /// <summary>The body's bytes, or a refusal when it is larger than <see cref="MaxBytes"/>.</summary>
    /// <remarks>
    /// An oversized body is still read to its end and thrown away: answering while the client is
    /// still sending would make the server close the connection, and the client would see a
    /// reset instead of the 400.
    /// </remarks>
    public static async Task<Validated<byte[]>> ReadBytesAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.ContentLength > MaxBytes)
        {
            await DrainAsync(request.Body, cancellationToken);
            return TooLarge();
        }

        using var buffer = new MemoryStream();
        var chunk = ArrayPool<byte>.Shared.Rent(81920);
        try
        {
            int read;
            while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
            {
                if (buffer.Length + read > MaxBytes)
                {
                    await DrainAsync(request.Body, cancellationToken);
                    return TooLarge();
                }

                buffer.Write(chunk, 0, read);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }

        return buffer.ToArray();
    }

    /// <summary>Parses <paramref name="bytes"/> as a JSON object.</summary>
    public static Validated<JsonDocument> ParseObject(ReadOnlyMemory<byte> bytes)
    {
        if (bytes.IsEmpty)
        {
            return Validated<JsonDocument>.Failure(null, "The request body is empty; send a JSON object.");
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(bytes, Options);
        }
        catch (JsonException error)
        {
            return Validated<JsonDocument>.Failure(null, $"The request body is not valid JSON: {Describe(error)}");
        }

        if (document.RootElement.ValueKind != JsonValueKind.Object)
        {
            var kind = document.RootElement.ValueKind.ToString().ToLowerInvariant();
            document.Dispose();
            return Validated<JsonDocument>.Failure(null, $"The request body must be a JSON object, not {kind}.");
        }

        var malformedText = UnpairedSurrogates.Find(bytes.Span, document.RootElement);
        if (malformedText is not null)
        {
            document.Dispose();
            return Validated<JsonDocument>.Failure(malformedText);
        }

        return document;
    }

    public static async Task<Validated<JsonDocument>> ReadObjectAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var bytes = await ReadBytesAsync(request, cancellationToken);

        return bytes.IsValid ? ParseObject(bytes.Value) : Validated<JsonDocument>.Failure(bytes.Error);
    }

    private static Validated<byte[]> TooLarge() =>
        Validated<byte[]>.Failure(null, $"The request body is larger than {MaxBytes / (1024 * 1024)} MiB, the most a JSON body may be.");

    private static string Describe(JsonException error) =>
        error.LineNumber is { } line ? $"line {line + 1}, position {error.BytePositionInLine + 1}." : "it cannot be parsed.";

    private static async Task DrainAsync(Stream body, CancellationToken cancellationToken)
    {
        var sink = ArrayPool<byte>.Shared.Rent(81920);
        try
        {
            while (await body.ReadAsync(sink, cancellationToken) > 0)
            {
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(sink);
        }
    }
}
