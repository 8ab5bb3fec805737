using Berth.Core.Environments;
using Berth.Runtime.Tests.Egress.Support;
using Berth.Runtime.Tests.Support;
using static Berth.Runtime.Tests.Egress.Support.EgressFixture;

namespace Berth.Runtime.Tests.Egress;

/// <summary>
/// An allowed host whose server does not take the connection: the sandbox learns it at once,
/// with the reason (over TLS too, which the gateway answers itself), and the decision stays "allowed".
/// </summary>
[Collection(EgressTestGroup.Name)]
public sealed class UnreachableUpstreamTests(EgressFixture fixture)
{
    private static readonly NetworkingConfig Limited =
        new(NetworkingType.Limited, [UnreachableHost], null, null);

    [Fact]
    public async Task Http_ToAnAllowedHostWhereNothingListens_Is502NamingTheRefusal()
    {
        using var timeout = Bounded.Quick();
        var sandbox = await fixture.StartSandboxAsync(Limited, timeout.Token);

        var result = await sandbox.RunAsync(
            $"curl -sS --max-time 20 -w ' %{{http_code}}' http://{UnreachableHost}/", timeout.Token);

        Assert.Equal(
            $"Berth egress gateway: {UnreachableHost}:80 was allowed but not reached: "
            + $"connecting to {fixture.UnreachableAddress}:80 failed (ConnectionRefused).\n 502",
            result.Output);
        var decision = await fixture.Decisions.WaitForAsync(
            sandbox.SessionId, d => d.Protocol == "http" && d.Host == UnreachableHost, TimeSpan.FromSeconds(5));
        Assert.Equal(("allowed", $"allowed_hosts:{UnreachableHost}"), (decision.Verdict, decision.Rule));
    }

    [Fact]
    public async Task Tls_ToAnAllowedHostWhereNothingListens_Is502NamingTheRefusal()
    {
        using var timeout = Bounded.Quick();
        var sandbox = await fixture.StartSandboxAsync(Limited, timeout.Token);

        var result = await sandbox.RunAsync(
            $"curl -sS --max-time 20 -w ' %{{http_code}}' https://{UnreachableHost}/", timeout.Token);

        Assert.Equal(
            $"Berth egress gateway: {UnreachableHost}:443 was allowed but not reached: "
            + $"connecting to {fixture.UnreachableAddress}:443 failed (ConnectionRefused).\n 502",
            result.Output);
        Assert.True(result.Duration < TimeSpan.FromSeconds(8), $"took {result.Duration}: {result.Output}");
    }
}
