namespace Berth.Runtime.Sandboxes;

/// <summary>
/// The few lines of <c>sh</c> that every command runs under, so that a timed-out or abandoned
/// command can be killed with all of its children: the wrapper's PID is the process group of
/// everything the command starts, and it reports that PID as the first line of stdout before it
/// changes directory and replaces itself with the command (so the exit code stays the command's own).
/// </summary>
/// <remarks>
/// runc starts every exec as a session leader, so the wrapper's PID already is a process group.
/// Where a runtime does not do that, the wrapper re-runs itself under <c>setsid</c>, which then
/// does not fork and keeps the PID; the group is never one shared with other processes.
/// A command that puts its own children into new sessions (<c>setsid</c>, daemons) takes them
/// out of reach of the kill.
/// </remarks>
internal static class ProcessGroupWrapper
{
    // Every process of the command carries this variable, set to the group's number, so that a
    // kill also finds those that left the group (setsid, daemons). The command agent sets the same.
    private const string Mark = "BERTH_COMMAND_ID";

    // A program that is not there is reported as a shell reports it, not as a failed exec.
    private const string Body =
        "printf \"%s\\n\" \"$$\"; " + Mark + "=$$; export " + Mark + "; cd -- \"$1\" || exit 1; shift; "
        + "command -v -- \"$1\" >/dev/null || { printf \"%s: command not found\\n\" \"$1\" >&2; exit 127; }; "
        + "exec \"$@\"";

    private const string Script =
        "read -r _ _ _ _ g _ < /proc/$$/stat; "
        + "[ \"$g\" = \"$$\" ] || exec setsid sh -c '" + Body + "' sh \"$@\"; "
        + Body;

    public static IReadOnlyList<string> Arguments(string workingDirectory, IReadOnlyList<string> argv) =>
        // By its path: the command's own PATH may find no shell.
        ["/bin/sh", "-c", Script, "sh", workingDirectory, .. argv];

    // $1 the process group; $2 a file to remove afterwards, or nothing.
    private const string KillScript =
        "kill -KILL -- \"-$1\" 2>/dev/null; "
        + "for f in $(grep -lzx \"" + Mark + "=$1\" /proc/[0-9]*/environ 2>/dev/null); do "
        + "p=${f#/proc/}; kill -KILL \"${p%/environ}\" 2>/dev/null; done; "
        + "[ -z \"$2\" ] || rm -f -- \"$2\"";

    /// <summary>
    /// The command that kills process group <paramref name="processGroup"/>, and every process
    /// marked as the command's, and then removes <paramref name="leftover"/>.
    /// </summary>
    public static IReadOnlyList<string> Kill(int processGroup, string? leftover) =>
        ["/bin/sh", "-c", KillScript, "sh", $"{processGroup}", leftover ?? ""];
}
