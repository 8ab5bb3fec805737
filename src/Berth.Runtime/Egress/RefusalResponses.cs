using System.Text;

namespace Berth.Runtime.Egress;

/// <summary>The HTTP answers the gateway gives in place of an upstream, each saying why.</summary>
internal static class RefusalResponses
{
    public const string RuleHeader = "X-Berth-Egress-Rule";

    public static byte[] Forbidden(string host, int port, string rule, string reason) => Response(
        "403 Forbidden",
        $"Berth egress gateway: {host}:{port} is denied by this sandbox's network policy "
        + $"(rule {rule}): {reason}.\n",
        rule);

    public static byte[] BadGateway(string host, int port, string reason) => Response(
        "502 Bad Gateway", $"Berth egress gateway: {host}:{port} was allowed but not reached: {reason}.\n", null);

    public static byte[] BadRequest(string reason) =>
        Response("400 Bad Request", $"Berth egress gateway: {reason}.\n", null);

    public static byte[] ConnectionEstablished() => "HTTP/1.1 200 Connection established\r\n\r\n"u8.ToArray();

    private static byte[] Response(string status, string body, string? rule)
    {
        var bodyBytes = Encoding.UTF8.GetBytes(body);
        var head = new StringBuilder()
            .Append("HTTP/1.1 ").Append(status).Append("\r\n")
            .Append("Content-Type: text/plain; charset=utf-8\r\n")
            .Append("Content-Length: ").Append(bodyBytes.Length).Append("\r\n")
            .Append("Connection: close\r\n");
        if (rule is not null)
        {
            head.Append(RuleHeader).Append(": ").Append(rule).Append("\r\n");
        }

        head.Append("\r\n");

        return [.. Encoding.ASCII.GetBytes(head.ToString()), .. bodyBytes];
    }
}
