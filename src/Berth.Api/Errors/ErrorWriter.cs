using System.Text.Json;
using Berth.Api.Http;

namespace Berth.Api.Errors;

/// <summary>Writes the error envelope; every error response of the server goes through here.</summary>
public static class ErrorWriter
{
    public static async Task WriteAsync(HttpContext httpContext, int statusCode, string message, string? param = null)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        var response = httpContext.Response;
        response.StatusCode = statusCode;
        response.ContentType = "application/json";
        if (statusCode is >= 400 and < 500)
        {
            // SDKs retry some 4xx answers (409 among them) unless told otherwise; retrying a
            // refused request here only repeats the refusal.
            response.Headers["x-should-retry"] = "false";
        }

        await JsonSerializer.SerializeAsync(
            response.Body, Envelope(httpContext, statusCode, message, param), ApiJsonContext.Default.ErrorBody,
            httpContext.RequestAborted);
    }

    /// <summary>The envelope as JSON text, for an error that ends a stream whose status was already sent.</summary>
    public static string ToJson(HttpContext httpContext, int statusCode, string message, string? param = null) =>
        JsonSerializer.Serialize(Envelope(httpContext, statusCode, message, param), ApiJsonContext.Default.ErrorBody);

    private static ErrorBody Envelope(HttpContext httpContext, int statusCode, string message, string? param) =>
        new("error", httpContext.GetRequestId(), new ErrorDetail(ErrorTypes.ForStatus(statusCode), message, param));
}
