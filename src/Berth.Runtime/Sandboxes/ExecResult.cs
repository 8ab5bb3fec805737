namespace Berth.Runtime.Sandboxes;

/// <summary>
/// How a command ended. <paramref name="ExitCode"/> is the process's own: 127 for a missing
/// command, 128 + the signal for a process killed by one, and 137 after a timeout, which killed
/// its whole process group. Output is the first <see cref="ExecRequest.MaxOutputBytes"/> of each
/// stream, with the truncation flags set when there was more.
/// </summary>
public sealed record ExecResult(
    int ExitCode,
    string Stdout,
    string Stderr,
    bool TimedOut,
    bool StdoutTruncated,
    bool StderrTruncated,
    TimeSpan Duration)
{
    /// <summary>
    /// The command's agent ended before the command did, so the exit code is the kill that
    /// ended them both, which may have been the whole container stopping.
    /// </summary>
    internal bool EndedWithAgent { get; init; }
}
