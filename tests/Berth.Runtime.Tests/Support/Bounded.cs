namespace Berth.Runtime.Tests.Support;

/// <summary>Time limits for awaits in tests, so that a hung engine fails a test instead of hanging the run.</summary>
internal static class Bounded
{
    public static CancellationTokenSource Build() => new(TimeSpan.FromMinutes(5));

    public static CancellationTokenSource Quick() => new(TimeSpan.FromSeconds(60));
}
