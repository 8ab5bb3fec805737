using Berth.Api.Auth;
using Berth.Api.Errors;
using Berth.Api.Idempotency;
using Berth.Core;
using Berth.Runtime.Sandboxes;
using Microsoft.Extensions.Options;

namespace Berth.Api.Sessions;

/// <summary><c>/v1/sessions/{id}/files?path=</c>: upload, download, list and delete, streamed both ways.</summary>
public static class SessionFileEndpoints
{
    private const string Workspace = "/workspace";

    public static RouteGroupBuilder MapSessionFilesApi(this RouteGroupBuilder sessions)
    {
        var files = sessions.MapGroup("/{id}/files")
            .WithMetadata(new IdempotentEndpointMetadata(enabled: false));

        files.MapPut("/", PutAsync)
            .WithName("PutSessionFile")
            .WithSummary("Write the raw request body to a file in the sandbox, creating its parents.")
            .Produces<FileWritten>(201);
        files.MapGet("/", GetAsync)
            .WithName("GetSessionFile")
            .WithSummary("Download a file's bytes, or list a directory.")
            .Produces<DirectoryListing>();
        files.MapDelete("/", DeleteAsync)
            .WithName("DeleteSessionFile")
            .WithSummary("Remove a file or an empty directory.");

        return sessions;
    }

    private static async Task<IResult> PutAsync(
        string id, string? path, HttpContext httpContext, SessionCommands commands, IOptions<SessionSettings> options,
        CancellationToken cancellationToken)
    {
        var opened = await OpenAsync(id, path, httpContext, commands, cancellationToken);
        if (opened.Error is not null)
        {
            return opened.Error;
        }

        // A name to write to, not a directory: nothing is created on the way to a sure failure.
        if (opened.Path!.EndsWith('/') || opened.Path.Split('/')[^1] is "." or "..")
        {
            return ApiErrorResult.Invalid($"{opened.Path} names a directory; an upload needs a file name.", "path");
        }

        var result = await commands.WriteFileAsync(opened.Session!, opened.Path!, httpContext.Request.Body,
            options.Value.MaxFileBytes, cancellationToken);

        return result switch
        {
            FileWriteResult.Written written => TypedResults.Created(
                $"/v1/sessions/{id}/files?path={Uri.EscapeDataString(written.Path)}",
                new FileWritten(written.Path, written.Size, written.Sha256)),
            FileWriteResult.TooLarge tooLarge => ApiErrorResult.Invalid(
                $"The file is larger than {tooLarge.MaxBytes} bytes, the most one upload may write.", "path"),
            FileWriteResult.Failed failed => ApiErrorResult.Invalid(failed.Message, "path"),
            _ => throw new InvalidOperationException($"Unexpected write result {result}."),
        };
    }

    private static async Task<IResult> GetAsync(
        string id, string? path, HttpContext httpContext, SessionCommands commands, CancellationToken cancellationToken)
    {
        var opened = await OpenAsync(id, path, httpContext, commands, cancellationToken);
        if (opened.Error is not null)
        {
            return opened.Error;
        }

        var result = await commands.ReadFileAsync(opened.Session!, opened.Path!, cancellationToken);

        return result switch
        {
            FileReadResult.File file => new FileStreamResult(file.Content, file.Size),
            FileReadResult.Directory directory => TypedResults.Ok(new DirectoryListing(
                directory.Path,
                directory.Entries.Select(e => new DirectoryEntry(
                    e.Name, e.Type.ToString().ToLowerInvariant(), e.Size, Timestamps.Format6(e.ModifiedAt))).ToList())),
            FileReadResult.NotFound => ApiErrorResult.NotFound($"Nothing exists at {opened.Path} in the sandbox."),
            FileReadResult.NotAFile => ApiErrorResult.Invalid(
                $"{opened.Path} is a device, pipe or socket, not a file; it has no content to download.", "path"),
            _ => throw new InvalidOperationException($"Unexpected read result {result}."),
        };
    }

    private static async Task<IResult> DeleteAsync(
        string id, string? path, HttpContext httpContext, SessionCommands commands, CancellationToken cancellationToken)
    {
        var opened = await OpenAsync(id, path, httpContext, commands, cancellationToken);
        if (opened.Error is not null)
        {
            return opened.Error;
        }

        // Every command starts in /workspace; without it the session could run nothing more.
        if (Path.GetFullPath(opened.Path!).TrimEnd('/') is "" or Workspace)
        {
            return ApiErrorResult.Invalid($"{opened.Path} cannot be deleted: commands run in {Workspace}.", "path");
        }

        var result = await commands.DeleteFileAsync(opened.Session!, opened.Path!, cancellationToken);

        return result switch
        {
            FileDeleteResult.Deleted deleted => TypedResults.Ok(new FileDeleted(deleted.Path, "file_deleted", true)),
            FileDeleteResult.NotFound => ApiErrorResult.NotFound($"Nothing exists at {opened.Path} in the sandbox."),
            FileDeleteResult.NotEmpty => ApiErrorResult.Conflict($"{opened.Path} is a directory that is not empty.", "path"),
            FileDeleteResult.Failed failed => ApiErrorResult.Invalid(failed.Message, "path"),
            _ => throw new InvalidOperationException($"Unexpected delete result {result}."),
        };
    }

    private static async Task<(LiveSession? Session, string? Path, IResult? Error)> OpenAsync(
        string id, string? path, HttpContext httpContext, SessionCommands commands, CancellationToken cancellationToken)
    {
        var opened = await commands.OpenAsync(httpContext.GetCaller().Account, id, cancellationToken);
        if (opened.Access == SessionAccess.NotFound)
        {
            return (null, null, SessionEndpoints.NotFound(id));
        }

        if (string.IsNullOrEmpty(path))
        {
            return (null, null, ApiErrorResult.Invalid("Missing required query parameter: path (a file or directory in the sandbox).", "path"));
        }

        if (path.Contains('\0', StringComparison.Ordinal) || httpContext.Request.Query["path"].Count > 1)
        {
            return (null, null, ApiErrorResult.Invalid("path must be one path without NUL characters; send it once.", "path"));
        }

        if (opened.Access == SessionAccess.Ended)
        {
            return (null, null, SessionEndpoints.Ended(opened.Stored));
        }

        var absolute = path.StartsWith('/') ? path : $"{Workspace}/{path}";
        if (TooLong(absolute) is { } problem)
        {
            return (null, null, ApiErrorResult.Invalid(problem, "path"));
        }

        return (opened.Session, absolute, null);
    }

    // Linux's limits: a name of at most 255 bytes, a path of at most 4,095.
    private const int MaxNameBytes = 255;
    private const int MaxPathBytes = 4095;

    private static string? TooLong(string path)
    {
        if (System.Text.Encoding.UTF8.GetByteCount(path) > MaxPathBytes)
        {
            return $"path is longer than {MaxPathBytes} bytes.";
        }

        return path.Split('/').Any(name => System.Text.Encoding.UTF8.GetByteCount(name) > MaxNameBytes)
            ? $"path has a name longer than {MaxNameBytes} bytes, which no file can have."
            : null;
    }

    /// <summary>Streams a sandbox file to the client as raw bytes.</summary>
    private sealed class FileStreamResult(Stream content, long size) : IResult
    {
        public async Task ExecuteAsync(HttpContext httpContext)
        {
            await using (content)
            {
                httpContext.Response.StatusCode = 200;
                httpContext.Response.ContentType = "application/octet-stream";
                httpContext.Response.ContentLength = size;
                await content.CopyToAsync(httpContext.Response.Body, httpContext.RequestAborted);
            }
        }
    }
}

/// <summary>The answer to a deleted file.</summary>
public sealed record FileDeleted(string Path, string Type, bool Deleted);
