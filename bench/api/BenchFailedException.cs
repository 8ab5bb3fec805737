namespace Berth.Bench.Api;

/// <summary>The bench could not measure: a server did not start, or answered what it should not.</summary>
internal sealed class BenchFailedException(string message) : Exception(message);
