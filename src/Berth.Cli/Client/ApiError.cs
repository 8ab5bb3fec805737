namespace Berth.Cli.Client;

/// <summary>
/// Why an API call did not succeed: the fields of the API's error envelope, or a transport
/// failure (status 0) when no answer came at all.
/// </summary>
internal sealed record ApiError(int Status, string Type, string Message, string? Param = null, string? RequestId = null)
{
    public const string ConnectionErrorType = "connection_error";

    public int ExitCode => ExitCodes.ForStatus(Status);

    public static ApiError Unreachable(Uri server, string reason) => new(
        0, ConnectionErrorType,
        $"Cannot reach the Berth server at {server}: {reason}. " +
        "Is it running? Start one with ./run.sh, or point --url or BERTH_URL at it.");

    /// <summary>An error the CLI finds itself, in the shape of one the server would send.</summary>
    public static ApiError Local(int status, string message, string? param = null) =>
        new(status, TypeForStatus(status), message, param);

    private static string TypeForStatus(int status) => status switch
    {
        401 => "authentication_error",
        403 => "permission_error",
        404 => "not_found_error",
        409 => "conflict_error",
        503 => "overloaded_error",
        >= 500 => "api_error",
        _ => "invalid_request_error",
    };
}
