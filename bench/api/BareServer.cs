using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Berth.Bench.Api;

/// <summary>
/// The yardstick: Kestrel and routing with one endpoint that writes a fixed JSON body, and
/// nothing else (no logging, no middleware, no store).
/// </summary>
/// <remarks>
/// It runs as its own process, like <c>berth serve</c>, so the two are measured alike: each
/// server has its own thread pool and garbage collector, and every request crosses the same
/// process boundary. Hosted inside the bench, it would share the client's thread pool and heap
/// and be measured under different conditions from the server it is compared with.
/// </remarks>
internal static class BareServer
{
    public static async Task<int> RunAsync(int port, string bodyPath, int parentId, CancellationToken cancellationToken)
    {
        var body = await File.ReadAllBytesAsync(bodyPath, cancellationToken);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        await using var app = builder.Build();
        app.MapGet("/v1/environments/{id}", (HttpContext httpContext) => WriteAsync(httpContext, body));

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var watch = StopWhenParentExitsAsync(parentId, stop);
        await app.StartAsync(cancellationToken);
        await app.WaitForShutdownAsync(stop.Token);
        await app.StopAsync(CancellationToken.None);
        await stop.CancelAsync();
        await watch;

        return ExitCodes.Success;
    }

    private static Task WriteAsync(HttpContext httpContext, byte[] body)
    {
        var response = httpContext.Response;
        response.ContentType = "application/json; charset=utf-8";
        response.ContentLength = body.Length;

        return response.Body.WriteAsync(body, 0, body.Length, httpContext.RequestAborted);
    }

    /// <summary>Stops the server if the bench dies without stopping it, so that it never lingers.</summary>
    private static async Task StopWhenParentExitsAsync(int parentId, CancellationTokenSource stop)
    {
        try
        {
            while (!stop.IsCancellationRequested && IsRunning(parentId))
            {
                await Task.Delay(TimeSpan.FromSeconds(1), stop.Token);
            }
        }
        catch (OperationCanceledException)
        {
            return;
        }

        await stop.CancelAsync();
    }

    private static bool IsRunning(int processId)
    {
        try
        {
            using var process = Process.GetProcessById(processId);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
