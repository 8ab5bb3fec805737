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

        var body = new ErrorBody(
            "error",
            httpContext.GetRequestId(),
            new ErrorDetail(ErrorTypes.ForStatus(statusCode), message, param));
        await JsonSerializer.SerializeAsync(response.Body, body, ApiJsonContext.Default.ErrorBody, httpContext.RequestAborted);
    }
}
