using System.Diagnostics;
using System.Net;
using Berth.Runtime.Docker;

namespace Berth.Runtime.Tests.Egress.Support;

/// <summary>What a command in a sandbox did, and how long it took.</summary>
internal sealed record CommandResult(long ExitCode, string Output, TimeSpan Duration);

/// <summary>A sandbox container registered with the gateway as a session.</summary>
internal sealed class TestSandbox(EgressFixture fixture, string sessionId, string containerId, IPAddress gateway)
{
    public string SessionId { get; } = sessionId;

    public string ContainerId { get; } = containerId;

    /// <summary>The gateway's address on the sandbox's network, which is also its DNS server.</summary>
    public IPAddress Gateway { get; } = gateway;

    /// <summary>Runs <paramref name="script"/> with bash, with no proxy variables set.</summary>
    public async Task<CommandResult> RunAsync(string script, CancellationToken cancellationToken)
    {
        var output = new List<string>();
        var clock = Stopwatch.StartNew();
        var exitCode = await fixture.Exec.RunAsync(
            ContainerId, new ExecCommand(["bash", "-c", script], [], "/"), output.Add, cancellationToken);

        return new CommandResult(exitCode, string.Join('\n', output), clock.Elapsed);
    }
}
