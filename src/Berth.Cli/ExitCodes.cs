namespace Berth.Cli;

/// <summary>The exit codes of the berth command, one per kind of outcome.</summary>
internal static class ExitCodes
{
    public const int Success = 0;
    public const int Failure = 1;
    public const int Usage = 2;
    public const int Authentication = 3;
    public const int NotFound = 4;
    public const int Conflict = 5;
    public const int Server = 6;
}
