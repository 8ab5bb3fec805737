using Berth.Core.Ids;
using Berth.Core.Sessions;
using Berth.Runtime.Sandboxes;
using Berth.Storage;

namespace Berth.Api.Sessions;

/// <summary>What a session's commands and file calls may find.</summary>
public enum SessionAccess
{
    Ready,
    NotFound,

    /// <summary>The session is over; its sandbox is gone.</summary>
    Ended,
}

/// <summary>Runs commands and moves files in a session's sandbox, counting each as activity.</summary>
public sealed class SessionCommands(
    SessionStore sessions,
    SessionLifecycle lifecycle,
    LiveSessions live,
    SessionEvents events,
    SandboxRuntime sandboxes)
{
    /// <summary>Finds the caller's session and waits, if it is still provisioning, until its sandbox runs.</summary>
    public async Task<(SessionAccess Access, LiveSession? Session, StoredSession? Stored)> OpenAsync(
        string account, string id, CancellationToken cancellationToken)
    {
        var stored = await sessions.GetAsync(id, cancellationToken);
        if (stored is null || stored.Account != account)
        {
            return (SessionAccess.NotFound, null, null);
        }

        var session = live.Find(id);
        if (session is null || stored.IsEnded)
        {
            return (SessionAccess.Ended, null, stored);
        }

        var container = await session.Ready.WaitAsync(cancellationToken);
        if (container is null)
        {
            return (SessionAccess.Ended, null, await sessions.GetAsync(id, cancellationToken));
        }

        return (SessionAccess.Ready, session, stored);
    }

    public async Task<(string ExecId, ExecResult Result)> ExecAsync(
        LiveSession session, ExecDraft draft, IExecOutput? output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(draft);
        var execId = IdGenerator.Shared.Next(IdPrefixes.Exec);
        var variables = new Dictionary<string, string>(session.Variables, StringComparer.Ordinal);
        foreach (var (name, value) in draft.Environment)
        {
            variables[name] = value;
        }

        var request = new ExecRequest(draft.Argv)
        {
            WorkingDirectory = draft.WorkingDirectory,
            Environment = variables,
            Stdin = draft.Stdin,
            Timeout = draft.Timeout,
        };

        // The command dies with the session, and with the request when the client goes away.
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, session.Lifetime.Token);
        await lifecycle.BeginExecAsync(session,
            events.Make(session.Id, SessionEventTypes.ExecStarted, new ExecStarted(execId, draft.Command), SessionJsonContext.Default.ExecStarted),
            linked.Token);
        ExecResult? result = null;
        try
        {
            result = await sandboxes.ExecAsync(session.ContainerId!, request, output, linked.Token);

            return (execId, result);
        }
        finally
        {
            var finished = new ExecFinished(execId, result?.ExitCode ?? 137, result?.TimedOut ?? false,
                (long)(result?.Duration.TotalMilliseconds ?? 0));
            await lifecycle.EndExecAsync(session,
                events.Make(session.Id, SessionEventTypes.ExecFinished, finished, SessionJsonContext.Default.ExecFinished));
        }
    }

    /// <summary>
    /// Ends a session whose sandbox stopped or was removed behind Berth's back as <c>failed</c>,
    /// and says so in words for the caller that found out.
    /// </summary>
    public async Task<string> FailLostSandboxAsync(string sessionId, SandboxUnavailableException lost)
    {
        ArgumentNullException.ThrowIfNull(lost);
        var reason = lost.Problem == SandboxProblem.ContainerMissing
            ? "its sandbox container was removed outside Berth"
            : "its sandbox stopped (its first process exited or was killed)";
        if (live.Find(sessionId) is { } session)
        {
            await lifecycle.FailAsync(session, SessionLifecycle.Error($"The session ended: {reason}."));
        }

        return $"Session {sessionId} has failed: {reason}. Start a new session.";
    }

    /// <summary>Whether a sandbox failure means the sandbox is gone for good, not that the engine is away.</summary>
    public static bool IsLost(SandboxUnavailableException failure) =>
        failure?.Problem is SandboxProblem.ContainerMissing or SandboxProblem.ContainerStopped;

    public async Task<FileWriteResult> WriteFileAsync(
        LiveSession session, string path, Stream content, long maxBytes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(session);
        await lifecycle.TouchAsync(session, cancellationToken);
        var result = await sandboxes.WriteFileAsync(session.ContainerId!, path, content, maxBytes, cancellationToken);
        await lifecycle.TouchAsync(session, cancellationToken);

        return result;
    }

    public async Task<FileReadResult> ReadFileAsync(LiveSession session, string path, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(session);
        await lifecycle.TouchAsync(session, cancellationToken);

        return await sandboxes.ReadFileAsync(session.ContainerId!, path, cancellationToken);
    }

    public async Task<FileDeleteResult> DeleteFileAsync(LiveSession session, string path, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(session);
        await lifecycle.TouchAsync(session, cancellationToken);

        return await sandboxes.DeleteFileAsync(session.ContainerId!, path, cancellationToken);
    }
}
