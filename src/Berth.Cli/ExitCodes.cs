namespace Berth.Cli;

/// <summary>
/// The exit codes of the berth command, one per kind of outcome, so that scripts can tell a
/// missing resource from a refused token without reading messages. <c>berth exec</c> exits
/// with the command's own code instead.
/// </summary>
internal static class ExitCodes
{
    /// <summary>It worked.</summary>
    public const int Success = 0;

    /// <summary>The request was accepted but what it started failed: a build, a session, a local file.</summary>
    public const int Failure = 1;

    /// <summary>The command line or the request was wrong (unknown option, HTTP 400).</summary>
    public const int Usage = 2;

    /// <summary>No token, or the server refused it (HTTP 401), or its role does not allow the call (403).</summary>
    public const int Authentication = 3;

    /// <summary>The environment, session, event or file does not exist (HTTP 404).</summary>
    public const int NotFound = 4;

    /// <summary>The resource's state forbids the call: archived, in use, not empty (HTTP 409).</summary>
    public const int Conflict = 5;

    /// <summary>The server could not be reached, failed (HTTP 5xx) or has no container runtime (503).</summary>
    public const int Server = 6;

    /// <summary>Stopped with Ctrl+C, as shells report a process ended by SIGINT.</summary>
    public const int Interrupted = 130;

    /// <summary>The exit code for an HTTP status the API answered with; 0 stands for no answer at all.</summary>
    public static int ForStatus(int status) => status switch
    {
        0 => Server,
        401 or 403 => Authentication,
        404 => NotFound,
        409 => Conflict,
        >= 500 => Server,
        >= 400 => Usage,
        _ => Failure,
    };
}
