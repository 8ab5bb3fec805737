using System.Diagnostics.CodeAnalysis;

namespace Berth.Runtime.Sandboxes;

/// <summary>Which of a command's output streams a piece of text came from.</summary>
[SuppressMessage("Naming", "CA1711:Identifiers should not have incorrect suffix",
    Justification = "It names the stdout and stderr streams of a process, not a System.IO.Stream.")]
public enum ExecStream
{
    Stdout,
    Stderr,
}

/// <summary>
/// Receives a command's output while it runs. Each piece is whole UTF-8 characters (bytes that
/// are not UTF-8 arrive as U+FFFD); writing slowly slows the command's output down rather than
/// buffering it.
/// </summary>
public interface IExecOutput
{
    ValueTask WriteAsync(ExecStream stream, string text, CancellationToken cancellationToken);
}
