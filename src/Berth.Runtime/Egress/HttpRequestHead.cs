using System.Text;

namespace Berth.Runtime.Egress;

/// <summary>The request line and headers of an HTTP/1.x request, as the gateway reads them.</summary>
internal sealed class HttpRequestHead
{
    /// <summary>The longest head the gateway reads; longer ones are refused.</summary>
    public const int MaxLength = 16 * 1024;

    // Headers that describe the hop to the proxy, which the upstream must not see.
    private static readonly string[] HopByHopHeaders =
        ["Proxy-Connection", "Proxy-Authorization", "Connection", "Keep-Alive"];

    private HttpRequestHead(string method, string target, string version, List<(string Name, string Value)> headers)
    {
        Method = method;
        Target = target;
        Version = version;
        Headers = headers;
    }

    public string Method { get; }

    public string Target { get; }

    public string Version { get; }

    public IReadOnlyList<(string Name, string Value)> Headers { get; }

    /// <summary>
    /// Where the head ends (after its blank line) in <paramref name="data"/>; -1 until it is
    /// there. Lines that end in a bare line feed end it too, for <see cref="Parse"/> to refuse.
    /// </summary>
    public static int FindEnd(ReadOnlySpan<byte> data)
    {
        var index = data.IndexOf("\r\n\r\n"u8);
        var bare = data.IndexOf("\n\n"u8);
        if (bare >= 0 && (index < 0 || bare < index))
        {
            return bare + 2;
        }

        return index < 0 ? -1 : index + 4;
    }

    /// <summary>Whether the first bytes can begin a request line: a method of capital letters, then a space.</summary>
    public static bool CanBeRequest(ReadOnlySpan<byte> data)
    {
        for (var i = 0; i < data.Length; i++)
        {
            if (data[i] == (byte)' ')
            {
                return i > 0;
            }

            if (data[i] is < (byte)'A' or > (byte)'Z' || i >= 16)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// The head, or null when it is not one the gateway forwards, because an upstream might read
    /// it otherwise than the gateway does: a malformed request line, a header name that is not a
    /// token (folded lines among them), a control character in a value, a line break other than
    /// CR LF, other than one Host header naming a host (and port), or an unclear body length.
    /// </summary>
    public static HttpRequestHead? Parse(ReadOnlySpan<byte> head)
    {
        var lines = Encoding.Latin1.GetString(head).Split("\r\n");
        if (lines.Any(l => l.Contains('\n', StringComparison.Ordinal) || l.Contains('\r', StringComparison.Ordinal)))
        {
            return null;
        }

        var requestLine = lines[0].Split(' ');
        if (requestLine.Length != 3 || requestLine[2] is not ("HTTP/1.1" or "HTTP/1.0")
            || !IsToken(requestLine[0]) || requestLine[1].Length == 0
            || requestLine[1].Any(c => char.IsControl(c) || c == '\\'))
        {
            return null;
        }

        var headers = new List<(string, string)>();
        foreach (var line in lines.Skip(1).Where(l => l.Length > 0))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0 || !IsToken(line[..colon]))
            {
                return null;
            }

            var value = line[(colon + 1)..].Trim(' ', '\t');
            if (value.Any(c => c is < ' ' and not '\t' or '\x7f'))
            {
                return null;
            }

            headers.Add((line[..colon], value));
        }

        var hosts = headers.Where(h => h.Item1.Equals("Host", StringComparison.OrdinalIgnoreCase)).ToList();
        if (hosts.Count > 1 || (hosts.Count == 1 && HostAndPort.Parse(hosts[0].Item2, 80) is null))
        {
            return null;
        }

        // Where the body ends must be plain: one length, or chunks, never both.
        var lengths = headers.Where(h => h.Item1.Equals("Content-Length", StringComparison.OrdinalIgnoreCase))
            .ToList();
        var codings = headers.Where(h => h.Item1.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase))
            .ToList();
        var chunked = codings.Count > 0;
        if (lengths.Count > 1 || (lengths.Count == 1 && (chunked || !IsLength(lengths[0].Item2)))
            || codings.Count > 1
            || (chunked && !codings[0].Item2.Equals("chunked", StringComparison.OrdinalIgnoreCase)))
        {
            return null;
        }

        return new HttpRequestHead(requestLine[0], requestLine[1], requestLine[2], headers);
    }

    // RFC 9110's token: the characters a method or a header name may have.
    private static bool IsToken(string text) =>
        text.Length > 0 && text.All(c => char.IsAsciiLetterOrDigit(c) || "!#$%&'*+-.^_`|~".Contains(c));

    private static bool IsLength(string value) =>
        value.Length is > 0 and <= 18 && value.All(char.IsAsciiDigit);

    /// <summary>
    /// How many body bytes follow the head: its Content-Length, or none; null when the body runs
    /// in chunks, to be read to the connection's end.
    /// </summary>
    public long? BodyLength =>
        Header("Transfer-Encoding") is not null
            ? null
            : Header("Content-Length") is { } length
                ? long.Parse(length, System.Globalization.CultureInfo.InvariantCulture)
                : 0;

    public string? Header(string name) =>
        Headers.Where(h => h.Name.Equals(name, StringComparison.OrdinalIgnoreCase))
            .Select(h => h.Value)
            .FirstOrDefault();

    /// <summary>
    /// The head to send upstream for a proxy request: origin-form target, no proxy headers, and
    /// <c>Connection: close</c>, since the next request on the client's connection may name another host.
    /// </summary>
    public byte[] ToUpstreamForm(string pathAndQuery, string authority)
    {
        var text = new StringBuilder();
        text.Append(Method).Append(' ').Append(pathAndQuery).Append(' ').Append(Version).Append("\r\n");

        // First, so that a parser that stops at a header it dislikes has already read it.
        text.Append("Connection: close\r\n");
        if (Header("Host") is null)
        {
            text.Append("Host: ").Append(authority).Append("\r\n");
        }

        foreach (var (name, value) in Headers.Where(h => !IsHopByHop(h.Name)))
        {
            text.Append(name).Append(": ").Append(value).Append("\r\n");
        }

        text.Append("\r\n");

        return Encoding.Latin1.GetBytes(text.ToString());
    }

    /// <summary>
    /// Why the gateway does not forward this request to an upstream it was sent to directly, or
    /// null: a tunnel request belongs to the gateway's proxy, and a request without a Host header
    /// could reach any site on the upstream's address.
    /// </summary>
    public string? NotForwardedBecause =>
        Method == "CONNECT" ? "CONNECT goes to the gateway's proxy, not through it"
        : Header("Host") is null ? "the request names no host (a Host header)"
        : null;

    /// <summary>Whether the request asks to turn the connection into another protocol (WebSocket, say).</summary>
    public bool AsksToUpgrade => Header("Upgrade") is not null;

    /// <summary>
    /// The host an absolute-form target names (<c>GET http://host/path</c>, or with any other
    /// scheme), if it names one.
    /// </summary>
    public string? TargetHost =>
        Uri.TryCreate(Target, UriKind.Absolute, out var uri) && !string.IsNullOrEmpty(uri.IdnHost)
            ? uri.IdnHost.TrimEnd('.').ToLowerInvariant()
            : null;

    /// <summary>
    /// The head as the client wrote it, but with <c>Connection: close</c>: the upstream answers
    /// this one request and closes, so that a next request on the connection, which may name
    /// another host, never reaches it.
    /// </summary>
    public byte[] ToSingleRequestForm()
    {
        var text = new StringBuilder();
        text.Append(Method).Append(' ').Append(Target).Append(' ').Append(Version).Append("\r\n");
        text.Append("Connection: close\r\n");
        foreach (var (name, value) in Headers.Where(h => !IsConnectionHeader(h.Name)))
        {
            text.Append(name).Append(": ").Append(value).Append("\r\n");
        }

        text.Append("\r\n");

        return Encoding.Latin1.GetBytes(text.ToString());
    }

    private static bool IsConnectionHeader(string name) =>
        name.Equals("Connection", StringComparison.OrdinalIgnoreCase)
        || name.Equals("Keep-Alive", StringComparison.OrdinalIgnoreCase);

    private static bool IsHopByHop(string name) =>
        HopByHopHeaders.Any(h => h.Equals(name, StringComparison.OrdinalIgnoreCase));
}
