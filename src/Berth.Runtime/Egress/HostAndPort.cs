using System.Globalization;

namespace Berth.Runtime.Egress;

/// <summary>A host and port as they appear in a Host header or a CONNECT request.</summary>
internal readonly record struct HostAndPort(string Host, int Port)
{
    /// <summary>
    /// Reads <c>host</c>, <c>host:port</c> or <c>[v6]:port</c>; the host comes back lowercase,
    /// without a trailing dot.
    /// </summary>
    public static HostAndPort? Parse(string authority, int defaultPort)
    {
        var text = authority.Trim();
        string host;
        var port = defaultPort;
        if (text.StartsWith('['))
        {
            var close = text.IndexOf(']', StringComparison.Ordinal);
            if (close < 0)
            {
                return null;
            }

            host = text[1..close];
            var rest = text[(close + 1)..];
            if (rest.Length > 0 && (!rest.StartsWith(':') || !TryPort(rest[1..], out port)))
            {
                return null;
            }
        }
        else
        {
            var colon = text.LastIndexOf(':');
            host = colon < 0 ? text : text[..colon];
            if (colon >= 0 && !TryPort(text[(colon + 1)..], out port))
            {
                return null;
            }
        }

        host = host.TrimEnd('.').ToLowerInvariant();

        return host.Length == 0 ? null : new HostAndPort(host, port);
    }

    private static bool TryPort(string text, out int port) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out port) && port is > 0 and <= 65535;
}
