using System.Net;
using System.Net.Sockets;
using Docker.DotNet;

namespace Berth.Runtime.Docker;

/// <summary>
/// Runs one Docker client call and turns its transport and API failures into the two
/// exceptions that the layer above understands.
/// </summary>
internal static class DockerCalls
{
    public static async Task<T> RunAsync<T>(
        DockerConnection connection,
        string operation,
        Func<DockerClient, Task<T>> call,
        CancellationToken cancellationToken)
    {
        try
        {
            return await call(connection.Client).ConfigureAwait(false);
        }
        catch (Exception e) when (cancellationToken.IsCancellationRequested && e is not OperationCanceledException)
        {
            // Cancelling closes streams under a running call, which then fails in its own way.
            throw new OperationCanceledException("The Docker call was cancelled.", e, cancellationToken);
        }
        catch (DockerApiException e)
        {
            throw new RuntimeOperationException(operation, $"{(int)e.StatusCode} {e.ResponseBody}".Trim(), e);
        }
        catch (Exception e) when (IsUnreachable(e, cancellationToken))
        {
            throw new RuntimeUnavailableException(connection.Endpoint, e);
        }
    }

    public static Task RunAsync(
        DockerConnection connection,
        string operation,
        Func<DockerClient, Task> call,
        CancellationToken cancellationToken)
    {
        return RunAsync(connection, operation, async client =>
        {
            await call(client).ConfigureAwait(false);
            return true;
        }, cancellationToken);
    }

    public static bool IsNotFound(RuntimeOperationException e) =>
        e.InnerException is DockerApiException { StatusCode: HttpStatusCode.NotFound };

    // The engine answers 404 both for a missing container and for a missing path inside one;
    // only its message tells them apart.
    public static bool IsNoSuchContainer(RuntimeOperationException e) =>
        e.InnerException is DockerApiException { StatusCode: HttpStatusCode.NotFound } api
        && api.ResponseBody?.Contains("No such container", StringComparison.OrdinalIgnoreCase) == true;

    public static bool IsConflict(RuntimeOperationException e) =>
        e.InnerException is DockerApiException { StatusCode: HttpStatusCode.Conflict };

    // A timeout inside the client surfaces as a cancellation nobody asked for.
    private static bool IsUnreachable(Exception e, CancellationToken cancellationToken) =>
        !cancellationToken.IsCancellationRequested
        && e is HttpRequestException or SocketException or TimeoutException or IOException
            or OperationCanceledException;
}
