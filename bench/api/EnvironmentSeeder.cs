using System.Text.Json;

namespace Berth.Bench.Api;

/// <summary>Creates the environments that the GET and list phases read, before any timing starts.</summary>
internal static class EnvironmentSeeder
{
    /// <summary>The body every create sends: the example from the API contract.</summary>
    public const string CreateBody =
        """
        {"name":"bench-env","config":{"type":"cloud","networking":{"type":"limited"},"packages":{"apt":["curl"]}}}
        """;

    /// <returns>The ids of the new environments.</returns>
    public static async Task<IReadOnlyList<string>> SeedAsync(
        int port, string token, int count, int connections, CancellationToken cancellationToken)
    {
        var request = HttpRequests.PostJson(port, "/v1/environments", token, CreateBody);
        var batches = Enumerable.Range(0, connections)
            .Select(index => count / connections + (index < count % connections ? 1 : 0))
            .Select(share => CreateAsync(port, request, share, cancellationToken));

        return [.. (await Task.WhenAll(batches)).SelectMany(ids => ids)];
    }

    /// <summary>A GET environment response body, as the server sends it: the bare endpoint answers with it.</summary>
    public static async Task<byte[]> GetBodyAsync(
        int port, string token, string id, CancellationToken cancellationToken)
    {
        using var connection = await HttpConnection.OpenAsync(port, cancellationToken);
        var request = HttpRequests.Get(port, $"/v1/environments/{id}", token);
        var status = await connection.SendAsync(request, cancellationToken);
        if (status != 200)
        {
            throw new BenchFailedException($"GET /v1/environments/{id} answered {status}: {connection.BodyText}");
        }

        return connection.Body.ToArray();
    }

    private static async Task<List<string>> CreateAsync(
        int port, byte[] request, int count, CancellationToken cancellationToken)
    {
        var ids = new List<string>(count);
        using var connection = await HttpConnection.OpenAsync(port, cancellationToken);
        for (var i = 0; i < count; i++)
        {
            var status = await connection.SendAsync(request, cancellationToken);
            if (status != 201)
            {
                throw new BenchFailedException($"POST /v1/environments answered {status}: {connection.BodyText}");
            }

            ids.Add(ReadId(connection.Body));
        }

        return ids;
    }

    private static string ReadId(ReadOnlySpan<byte> body)
    {
        var reader = new Utf8JsonReader(body);
        while (reader.Read())
        {
            if (reader is { TokenType: JsonTokenType.PropertyName, CurrentDepth: 1 } && reader.ValueTextEquals("id"u8))
            {
                reader.Read();
                return reader.GetString()!;
            }
        }

        throw new BenchFailedException("A create response had no id.");
    }
}
