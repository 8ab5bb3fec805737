using System.Text.Json;
using Berth.Api.Auth;
using Berth.Api.Errors;
using Berth.Api.Http;
using Berth.Core.Sessions;
using Berth.Runtime.Sandboxes;

namespace Berth.Api.Sessions;

/// <summary><c>POST /v1/sessions/{id}/exec</c>: a command, answered whole or streamed as it runs.</summary>
public static class SessionCommandEndpoints
{
    public static RouteGroupBuilder MapSessionCommandsApi(this RouteGroupBuilder sessions)
    {
        sessions.MapPost("/{id}/exec", ExecAsync)
            .WithName("ExecInSession")
            .WithSummary("Run a command in the sandbox; with Accept: text/event-stream its output streams as it is produced.")
            .Produces<ExecResponse>();

        return sessions;
    }

    private static async Task<IResult> ExecAsync(
        string id, HttpContext httpContext, SessionCommands commands, CancellationToken cancellationToken)
    {
        var opened = await commands.OpenAsync(httpContext.GetCaller().Account, id, cancellationToken);
        if (opened.Access == SessionAccess.NotFound)
        {
            return SessionEndpoints.NotFound(id);
        }

        var read = await JsonBody.ReadObjectAsync(httpContext.Request, cancellationToken);
        if (!read.IsValid)
        {
            return ApiErrorResult.Invalid(read.Error);
        }

        using var body = read.Value;
        var draft = ExecRequests.Parse(body.RootElement);
        if (!draft.IsValid)
        {
            return ApiErrorResult.Invalid(draft.Error);
        }

        if (opened.Access == SessionAccess.Ended)
        {
            return SessionEndpoints.Ended(opened.Stored);
        }

        var session = opened.Session!;
        if (!ServerSentEvents.IsRequested(httpContext.Request))
        {
            try
            {
                var (execId, result) = await commands.ExecAsync(session, draft.Value, null, cancellationToken);
                return TypedResults.Ok(ToResponse(execId, result));
            }
            catch (OperationCanceledException) when (EndedMeanwhile(session, cancellationToken))
            {
                return ApiErrorResult.Conflict(EndedMessage(session));
            }
        }

        var stream = await ServerSentEvents.StartAsync(httpContext.Response, cancellationToken);
        try
        {
            var (streamedId, streamed) = await commands.ExecAsync(session, draft.Value, new EventOutput(stream), cancellationToken);
            var exit = JsonSerializer.Serialize(ToResponse(streamedId, streamed), ApiJsonContext.Default.ExecResponse);
            await stream.SendAsync("exit", exit, cancellationToken);
        }
        catch (OperationCanceledException) when (EndedMeanwhile(session, cancellationToken))
        {
            // The status line went out long ago; the stream ends with the error instead of an exit.
            await stream.SendAsync("error", ErrorWriter.ToJson(httpContext, 409, EndedMessage(session)), cancellationToken);
        }
        catch (SandboxUnavailableException lost) when (SessionCommands.IsLost(lost))
        {
            var message = await commands.FailLostSandboxAsync(session.Id, lost);
            await stream.SendAsync("error", ErrorWriter.ToJson(httpContext, 409, message), cancellationToken);
        }

        return TypedResults.Empty;
    }

    // The session's end cancels its commands; the client, still there, is owed an answer.
    private static bool EndedMeanwhile(LiveSession session, CancellationToken request) =>
        session.Lifetime.IsCancellationRequested && !request.IsCancellationRequested;

    private static string EndedMessage(LiveSession session) =>
        $"Session {session.Id} was terminated while the command ran; the command was killed with its sandbox.";

    private static ExecResponse ToResponse(string execId, ExecResult result) => new(
        execId, result.ExitCode, result.Stdout, result.Stderr, result.TimedOut,
        (long)result.Duration.TotalMilliseconds, result.StdoutTruncated, result.StderrTruncated);

    /// <summary>Sends each piece of output as a <c>stdout</c> or <c>stderr</c> event.</summary>
    private sealed class EventOutput(ServerSentEvents stream) : IExecOutput
    {
        public async ValueTask WriteAsync(ExecStream which, string text, CancellationToken cancellationToken)
        {
            var name = which == ExecStream.Stdout ? "stdout" : "stderr";
            await stream.SendAsync(name, JsonSerializer.Serialize(new OutputChunk(text), ApiJsonContext.Default.OutputChunk), cancellationToken);
        }
    }
}
