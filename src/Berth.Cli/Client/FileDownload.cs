namespace Berth.Cli.Client;

/// <summary>A file being downloaded from a sandbox; disposing it closes the connection.</summary>
internal sealed class FileDownload(HttpResponseMessage response) : IAsyncDisposable
{
    public long? Length => response.Content.Headers.ContentLength;

    /// <summary>True when the path named a directory: the body is then its JSON listing, not file bytes.</summary>
    public bool IsDirectoryListing =>
        response.Content.Headers.ContentType?.MediaType?.Contains("json", StringComparison.OrdinalIgnoreCase) == true;

    public Task<Stream> OpenAsync(CancellationToken cancellationToken) =>
        response.Content.ReadAsStreamAsync(cancellationToken);

    public ValueTask DisposeAsync()
    {
        response.Dispose();

        return ValueTask.CompletedTask;
    }
}
