using System.Net.Http.Headers;
using System.Text;

namespace Berth.Api.Tests.Properties;

/// <summary>One request and its answer, kept whole so that a failure can show both.</summary>
internal sealed record ApiCall(
    string Method,
    string Path,
    RequestBody? Body,
    int Status,
    byte[] Bytes,
    string? ContentType,
    string? RequestId,
    string? Location)
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public bool IsSuccess => Status is >= 200 and < 300;

    /// <summary>The answer as text; null when it is not valid UTF-8.</summary>
    public string? Text
    {
        get
        {
            try
            {
                return StrictUtf8.GetString(Bytes);
            }
            catch (DecoderFallbackException)
            {
                return null;
            }
        }
    }

    public static async Task<ApiCall> SendAsync(
        HttpClient client, string method, string path, RequestBody? body, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (body is not null)
        {
            request.Content = new ByteArrayContent(body.Bytes);
            if (body.ContentType is not null)
            {
                request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(body.ContentType);
            }
        }

        using var response = await client.SendAsync(request, cancellationToken);
        var bytes = await response.Content.ReadAsByteArrayAsync(cancellationToken);

        return new ApiCall(
            method,
            path,
            body,
            (int)response.StatusCode,
            bytes,
            response.Content.Headers.ContentType?.MediaType,
            response.Headers.TryGetValues("x-request-id", out var ids) ? string.Join(",", ids) : null,
            response.Headers.Location?.OriginalString);
    }

    /// <summary>What was sent and what came back, for failure messages.</summary>
    public string Describe()
    {
        var text = new StringBuilder($"{Method} {Path}");
        if (Body is not null)
        {
            text.Append($" with Content-Type {Body.ContentType ?? "(none)"}, expecting {Body.Meaning}")
                .Append($"{Environment.NewLine}  mutations: {(Body.Notes.IsEmpty ? "none" : string.Join("; ", Body.Notes))}")
                .Append($"{Environment.NewLine}  body ({Body.Bytes.Length} bytes): {Preview(Body.Bytes)}");
        }

        return text.Append($"{Environment.NewLine}  answer {Status}: {Preview(Bytes)}").ToString();
    }

    public static string Preview(byte[] bytes, int max = 600)
    {
        var text = Encoding.UTF8.GetString(bytes, 0, Math.Min(bytes.Length, max));
        var shown = new StringBuilder();
        foreach (var character in text)
        {
            shown.Append(character is < ' ' or '\u007f' ? $"\\x{(int)character:x2}" : character.ToString());
        }

        return bytes.Length > max ? shown.Append($"… ({bytes.Length - max} more bytes)").ToString() : shown.ToString();
    }
}
