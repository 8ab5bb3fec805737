namespace Berth.Runtime.Sandboxes;

/// <summary>
/// A command to run in a sandbox, as an argument vector without a shell; a command string runs
/// as <c>["bash", "-lc", command]</c>.
/// </summary>
public sealed record ExecRequest(IReadOnlyList<string> Argv)
{
    /// <summary>The limit of collected output per stream when a request sets none: 10 MiB.</summary>
    public const long DefaultMaxOutputBytes = 10 * 1024 * 1024;

    /// <summary>The directory the command starts in; relative to <c>/workspace</c> when relative.</summary>
    public string? WorkingDirectory { get; init; }

    /// <summary>Variables added to the sandbox's own, the caller having merged session and request values.</summary>
    public IReadOnlyDictionary<string, string>? Environment { get; init; }

    /// <summary>Text written to the command's stdin, which is then closed; null gives it no stdin.</summary>
    public string? Stdin { get; init; }

    /// <summary>How long the command may run before its process group is killed; null for the configured default.</summary>
    public TimeSpan? Timeout { get; init; }

    /// <summary>How many bytes of each of stdout and stderr are kept and streamed.</summary>
    public long MaxOutputBytes { get; init; } = DefaultMaxOutputBytes;
}
