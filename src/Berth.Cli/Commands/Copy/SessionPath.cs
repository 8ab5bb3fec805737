using System.Text.RegularExpressions;

namespace Berth.Cli.Commands.Copy;

/// <summary>A <c>SESSION:/path</c> operand of <c>berth cp</c>: a file inside a sandbox.</summary>
internal sealed partial record SessionPath(string SessionId, string Path)
{
    public static SessionPath? TryParse(string operand)
    {
        var match = Pattern().Match(operand);

        return match.Success ? new SessionPath(match.Groups["session"].Value, match.Groups["path"].Value) : null;
    }

    /// <summary>The path with <paramref name="fileName"/> added when it names a directory (empty, or ending in /).</summary>
    public SessionPath WithFileName(string fileName) => Path.Length == 0 || Path.EndsWith('/')
        ? this with { Path = Path + fileName }
        : this;

    public override string ToString() => $"{SessionId}:{Path}";

    [GeneratedRegex("^(?<session>sess_[A-Za-z0-9]+):(?<path>.*)$")]
    private static partial Regex Pattern();
}
