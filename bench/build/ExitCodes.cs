namespace Berth.Bench.Build;

/// <summary>What the bench's exit code says, so that scripts can tell a slow build from a broken run.</summary>
internal static class ExitCodes
{
    public const int Success = 0;
    public const int TargetMissed = 1;
    public const int BenchFailed = 2;
}
