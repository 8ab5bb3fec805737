using System.Text;

namespace Berth.Api.Http;

/// <summary>Writes a <c>text/event-stream</c> response, one event at a time, flushed as it goes.</summary>
public sealed class ServerSentEvents
{
    private readonly HttpResponse _response;

    private ServerSentEvents(HttpResponse response) => _response = response;

    public static bool IsRequested(HttpRequest request) =>
        request?.Headers.Accept.ToString().Contains("text/event-stream", StringComparison.OrdinalIgnoreCase) == true;

    public static async Task<ServerSentEvents> StartAsync(HttpResponse response, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(response);
        response.StatusCode = 200;
        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-cache";

        // Proxies that buffer would hold events back until the stream ends.
        response.Headers["X-Accel-Buffering"] = "no";
        await response.Body.FlushAsync(cancellationToken);

        return new ServerSentEvents(response);
    }

    public Task SendAsync(string eventName, string data, CancellationToken cancellationToken) =>
        SendAsync(null, eventName, data, cancellationToken);

    public async Task SendAsync(string? id, string eventName, string data, CancellationToken cancellationToken)
    {
        var text = new StringBuilder();
        if (id is not null)
        {
            text.Append("id: ").Append(id).Append('\n');
        }

        text.Append("event: ").Append(eventName).Append('\n');
        text.Append("data: ").Append(data).Append("\n\n");
        await _response.WriteAsync(text.ToString(), cancellationToken);
        await _response.Body.FlushAsync(cancellationToken);
    }

    /// <summary>A comment line; clients ignore it, and it keeps idle connections from being cut.</summary>
    public async Task SendCommentAsync(string comment, CancellationToken cancellationToken)
    {
        await _response.WriteAsync($": {comment}\n\n", cancellationToken);
        await _response.Body.FlushAsync(cancellationToken);
    }
}
