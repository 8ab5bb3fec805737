namespace Berth.Runtime.Tests.Support;

/// <summary>Config hashes that no other test, run or server uses.</summary>
internal static class TestHashes
{
    public static string New() => $"test-{Guid.NewGuid():N}";
}
