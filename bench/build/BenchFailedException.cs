namespace Berth.Bench.Build;

/// <summary>The bench could not measure: the server did not start, a build failed, Docker refused.</summary>
internal sealed class BenchFailedException(string message) : Exception(message);
