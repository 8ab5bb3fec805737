namespace Berth.Cli.Client;

/// <summary>An open <c>text/event-stream</c> response; disposing it closes the connection.</summary>
internal sealed class EventStream(HttpResponseMessage response) : IAsyncDisposable
{
    public async IAsyncEnumerable<ServerSentEvent> ReadAllAsync(
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var body = await response.Content.ReadAsStreamAsync(cancellationToken);
        await foreach (var item in ServerSentEventReader.ReadAsync(body, cancellationToken))
        {
            yield return item;
        }
    }

    public ValueTask DisposeAsync()
    {
        response.Dispose();

        return ValueTask.CompletedTask;
    }
}
