using System.Reflection;
using Berth.Core.Validation;
using Microsoft.AspNetCore.Http.Metadata;

namespace Berth.Api.Errors;

/// <summary>An error response in the API's envelope; the one way endpoints answer with an error.</summary>
public sealed class ApiErrorResult(int statusCode, string message, string? param = null)
    : IResult, IStatusCodeHttpResult, IEndpointMetadataProvider
{
    public int StatusCode => statusCode;

    int? IStatusCodeHttpResult.StatusCode => statusCode;

    public string Message => message;

    public string? Param => param;

    public static ApiErrorResult Invalid(ValidationError error) => new(400, error?.Message ?? "", error?.Param);

    public static ApiErrorResult Invalid(string message, string? param = null) => new(400, message, param);

    public static ApiErrorResult NotFound(string message) => new(404, message);

    public static ApiErrorResult Conflict(string message, string? param = null) => new(409, message, param);

    public static ApiErrorResult Unavailable(string message) => new(503, message);

    public Task ExecuteAsync(HttpContext httpContext) =>
        ErrorWriter.WriteAsync(httpContext, statusCode, message, param);

    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        foreach (var status in new[] { 400, 401, 403, 404, 409 })
        {
            builder.Metadata.Add(new ProducesResponseTypeMetadata(status, typeof(ErrorBody), ["application/json"]));
        }
    }
}
