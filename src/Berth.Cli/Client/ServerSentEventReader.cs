using System.Runtime.CompilerServices;
using System.Text;

namespace Berth.Cli.Client;

/// <summary>Reads server-sent events from a stream as they arrive.</summary>
internal static class ServerSentEventReader
{
    public static async IAsyncEnumerable<ServerSentEvent> ReadAsync(
        Stream stream, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var reader = new StreamReader(stream, Encoding.UTF8);
        string? id = null;
        var name = "message";
        var data = new StringBuilder();
        var hasData = false;
        while (await reader.ReadLineAsync(cancellationToken) is { } line)
        {
            if (line.Length == 0)
            {
                if (hasData)
                {
                    yield return new ServerSentEvent(id, name, data.ToString());
                }

                (id, name, hasData) = (null, "message", false);
                data.Clear();
                continue;
            }

            // Lines starting with a colon are comments: the server's heartbeats.
            if (line[0] == ':')
            {
                continue;
            }

            var (field, value) = Split(line);
            switch (field)
            {
                case "id":
                    id = value;
                    break;
                case "event":
                    name = value;
                    break;
                case "data":
                    data.Append(hasData ? "\n" : "").Append(value);
                    hasData = true;
                    break;
            }
        }
    }

    private static (string Field, string Value) Split(string line)
    {
        var colon = line.IndexOf(':', StringComparison.Ordinal);
        if (colon < 0)
        {
            return (line, "");
        }

        var value = line[(colon + 1)..];

        return (line[..colon], value.StartsWith(' ') ? value[1..] : value);
    }
}
