namespace Berth.Bench.Api;

/// <summary>One measured phase: which server, which requests in turn, and the status each must get.</summary>
internal sealed record Workload(string Name, ChildProcess Server, IReadOnlyList<byte[]> Requests, int ExpectedStatus);
