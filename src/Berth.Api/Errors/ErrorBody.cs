using System.Text.Json.Serialization;

namespace Berth.Api.Errors;

/// <summary>The body of every non-2xx response.</summary>
public sealed record ErrorBody(string Type, string RequestId, ErrorDetail Error);

/// <summary>What went wrong, and the field at fault when there is one.</summary>
public sealed record ErrorDetail(
    string Type,
    string Message,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Param = null);

/// <summary>The error types of the API and the status code each goes with.</summary>
public static class ErrorTypes
{
    public const string InvalidRequest = "invalid_request_error";
    public const string Authentication = "authentication_error";
    public const string Permission = "permission_error";
    public const string NotFound = "not_found_error";
    public const string Conflict = "conflict_error";
    public const string Api = "api_error";
    public const string Overloaded = "overloaded_error";

    public static string ForStatus(int status) => status switch
    {
        401 => Authentication,
        403 => Permission,
        404 => NotFound,
        409 => Conflict,
        503 => Overloaded,
        >= 500 => Api,
        _ => InvalidRequest,
    };
}
