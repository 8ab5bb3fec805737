namespace Berth.Runtime.Docker;

/// <summary>A command to run in a running container, as root unless told otherwise.</summary>
internal sealed record ExecCommand(
    IReadOnlyList<string> Arguments,
    IReadOnlyList<string> Env,
    string WorkingDir)
{
    public string User { get; init; } = "root";
}
