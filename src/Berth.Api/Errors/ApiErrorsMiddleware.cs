using Microsoft.AspNetCore.Diagnostics;

namespace Berth.Api.Errors;

/// <summary>Gives unhandled failures and body-less error statuses the API's error envelope.</summary>
public static partial class ApiErrorsMiddleware
{
    public static IApplicationBuilder UseApiErrors(this IApplicationBuilder app)
    {
        app.UseExceptionHandler(failed => failed.Run(WriteExceptionAsync));
        app.UseStatusCodePages(context => WriteStatusAsync(context.HttpContext));

        return app;
    }

    private static async Task WriteExceptionAsync(HttpContext httpContext)
    {
        var error = httpContext.Features.Get<IExceptionHandlerFeature>()?.Error;
        if (error is BadHttpRequestException bad)
        {
            await ErrorWriter.WriteAsync(httpContext, 400, $"The request could not be read: {bad.Message}");
            return;
        }

        var logger = httpContext.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("Berth.Api");
        LogUnhandled(logger, httpContext.Request.Method, httpContext.Request.Path, httpContext.TraceIdentifier, error);
        await ErrorWriter.WriteAsync(httpContext, 500,
            $"The server failed to handle this request. Quote request id {httpContext.TraceIdentifier} when reporting it.");
    }

    private static Task WriteStatusAsync(HttpContext httpContext)
    {
        var status = httpContext.Response.StatusCode;
        var message = status switch
        {
            404 => $"There is no route {httpContext.Request.Path}.",
            405 => MethodNotAllowed(httpContext),
            _ => $"The request failed with status {status}.",
        };

        return ErrorWriter.WriteAsync(httpContext, status, message);
    }

    private static string MethodNotAllowed(HttpContext httpContext)
    {
        var allowed = httpContext.Response.Headers.Allow.ToString();

        return allowed.Length > 0
            ? $"{httpContext.Request.Method} is not allowed on {httpContext.Request.Path}; allowed: {allowed}."
            : $"{httpContext.Request.Method} is not allowed on {httpContext.Request.Path}.";
    }

    [LoggerMessage(EventId = 1000, Level = LogLevel.Error, Message = "Unhandled failure in {Method} {Path} (request {RequestId})")]
    private static partial void LogUnhandled(ILogger logger, string method, string path, string requestId, Exception? error);
}
