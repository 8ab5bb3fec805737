using System.Text;

namespace Berth.Bench.Api;

/// <summary>Builds the raw bytes of the requests the bench sends, once, before any timing starts.</summary>
internal static class HttpRequests
{
    public static byte[] Get(int port, string path, string? token) =>
        Encoding.ASCII.GetBytes($"GET {path} HTTP/1.1\r\n{CommonHeaders(port, token)}\r\n");

    public static byte[] PostJson(int port, string path, string token, string json)
    {
        var body = Encoding.UTF8.GetBytes(json);
        var head = Encoding.ASCII.GetBytes(
            $"POST {path} HTTP/1.1\r\n{CommonHeaders(port, token)}" +
            $"Content-Type: application/json\r\nContent-Length: {body.Length}\r\n\r\n");

        return [.. head, .. body];
    }

    private static string CommonHeaders(int port, string? token) =>
        token is null
            ? $"Host: 127.0.0.1:{port}\r\n"
            : $"Host: 127.0.0.1:{port}\r\nAuthorization: Bearer {token}\r\n";
}
