namespace Berth.Runtime.Tests.Egress.Support;

/// <summary>
/// Python scripts that send bytes no ordinary client would, from inside a sandbox, read what comes
/// back until the connection ends, and print part of it.
/// </summary>
internal static class RawRequests
{
    public enum Shown
    {
        /// <summary>The last status line, or "reset" when none came.</summary>
        LastStatusLine,

        /// <summary>The body of the last response.</summary>
        LastBody,

        /// <summary>The first status line and the body after the first head.</summary>
        FirstStatusLineAndBody,
    }

    /// <summary>
    /// Sends <paramref name="bytes"/>, a Python bytes expression such as
    /// <c>b'GET / HTTP/1.1\r\n\r\n'</c>, with TLS first when <paramref name="tls"/> (checking the
    /// certificate as any client would).
    /// </summary>
    public static string Send(string host, int port, string bytes, Shown shown, bool tls = false) =>
        "python3 - <<'EOF'\n"
        + "import socket, ssl\n"
        + $"s = socket.create_connection(('{host}', {port}), timeout=10)\n"
        + (tls ? $"s = ssl.create_default_context().wrap_socket(s, server_hostname='{host}')\n" : "")
        + $"s.sendall({bytes})\n"
        + "got = b''\n"
        + "try:\n"
        + "    while (chunk := s.recv(65536)):\n"
        + "        got += chunk\n"
        + "except (ConnectionError, ssl.SSLError):\n"
        + "    pass\n"
        + Print(shown)
        + "EOF";

    private static string Print(Shown shown) => shown switch
    {
        Shown.LastStatusLine =>
            "lines = [l for l in got.split(b'\\r\\n') if l.startswith(b'HTTP/1.1 ')]\n"
            + "print(lines[-1].decode() if lines else 'reset')\n",
        Shown.LastBody => "print(got.split(b'\\r\\n\\r\\n')[-1].decode().strip())\n",
        _ => "head, _, body = got.partition(b'\\r\\n\\r\\n')\n"
            + "print(head.split(b'\\r\\n')[0].decode(), body.decode().strip())\n",
    };
}
