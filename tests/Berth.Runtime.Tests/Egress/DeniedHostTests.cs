using Berth.Core.Environments;
using Berth.Runtime.Tests.Egress.Support;
using Berth.Runtime.Tests.Support;
using static Berth.Runtime.Tests.Egress.Support.EgressFixture;

namespace Berth.Runtime.Tests.Egress;

/// <summary>
/// A host outside a <c>limited</c> sandbox's policy fails at once for every client, and the
/// denial is recorded.
/// </summary>
[Collection(EgressTestGroup.Name)]
public sealed class DeniedHostTests(EgressFixture fixture)
{
    // Well inside the clients' own timeouts (20 s); node alone needs some 4 s here to load fetch.
    private static readonly TimeSpan Fast = TimeSpan.FromSeconds(8);

    private static readonly NetworkingConfig Limited =
        new(NetworkingType.Limited, [AllowedHost], null, null);

    [Theory]
    [InlineData($"getent hosts {DeniedHost}")]
    [InlineData($"curl -sS --max-time 20 http://{DeniedHost}/")]
    [InlineData($"python3 -c \"import urllib.request; urllib.request.urlopen('http://{DeniedHost}/', timeout=20)\"")]
    [InlineData($"node -e \"fetch('http://{DeniedHost}/').then(() => process.exit(0), () => process.exit(1))\"")]
    public async Task Client_DeniedHost_FailsFast(string command)
    {
        using var timeout = Bounded.Quick();
        var sandbox = await fixture.StartSandboxAsync(Limited, timeout.Token);

        var result = await sandbox.RunAsync(command, timeout.Token);

        Assert.NotEqual(0, result.ExitCode);
        Assert.True(result.Duration < Fast, $"took {result.Duration}: {result.Output}");
        var decision = await fixture.Decisions.WaitForAsync(
            sandbox.SessionId, d => d.Host == DeniedHost, TimeSpan.FromSeconds(5));
        Assert.Equal(("dns", "denied", "default_deny"), (decision.Protocol, decision.Verdict, decision.Rule));
        Assert.Equal(0, fixture.Denied.Connections);
    }

    [Fact]
    public async Task Lookup_OfBothAddressFamilies_IsOneDecision()
    {
        using var timeout = Bounded.Quick();
        var sandbox = await fixture.StartSandboxAsync(Limited, timeout.Token);

        // Each curl asks for the name's IPv4 and IPv6 addresses together; the second comes later.
        await sandbox.RunAsync($"curl -s http://{DeniedHost}/; sleep 1.5; curl -s http://{DeniedHost}/", timeout.Token);
        await fixture.Decisions.WaitForAsync(sandbox.SessionId, d => d.Host == DeniedHost, TimeSpan.FromSeconds(5));
        await Task.Delay(TimeSpan.FromMilliseconds(500), timeout.Token);

        Assert.Equal(2, fixture.Decisions.For(sandbox.SessionId).Count(d => d.Host == DeniedHost));
    }

    [Fact]
    public async Task Connection_ToAServersAddressInsteadOfItsName_IsDenied()
    {
        using var timeout = Bounded.Quick();
        var sandbox = await fixture.StartSandboxAsync(Limited, timeout.Token);
        var url = $"http://{fixture.HostAddress}:{fixture.ByAddressPort}/";

        var result = await sandbox.RunAsync($"curl -sS --max-time 10 -w ' %{{http_code}}' {url}", timeout.Token);

        Assert.EndsWith(" 403", result.Output, StringComparison.Ordinal);
        Assert.Contains("default_deny", result.Output, StringComparison.Ordinal);
        var decision = await fixture.Decisions.WaitForAsync(
            sandbox.SessionId, d => d.Host == fixture.HostAddress.ToString(), TimeSpan.FromSeconds(5));
        Assert.Equal(("http", fixture.ByAddressPort, "denied"), (decision.Protocol, decision.Port, decision.Verdict));
        Assert.Equal(0, fixture.ByAddress.Connections);
    }

    [Fact]
    public async Task AllowedHost_OnAPortTheGatewayDoesNotForward_IsDenied()
    {
        using var timeout = Bounded.Quick();
        var sandbox = await fixture.StartSandboxAsync(Limited, timeout.Token);
        var before = fixture.Allowed.Connections;

        var result = await sandbox.RunAsync(
            $"curl -sS --max-time 10 -w ' %{{http_code}}' http://{AllowedHost}:{NotForwardedPort}/", timeout.Token);

        Assert.EndsWith(" 403", result.Output, StringComparison.Ordinal);
        Assert.Contains($"port {NotForwardedPort} is not forwarded", result.Output, StringComparison.Ordinal);
        Assert.True(result.Duration < Fast, $"took {result.Duration}");
        var decision = await fixture.Decisions.WaitForAsync(
            sandbox.SessionId, d => d.Port == NotForwardedPort, TimeSpan.FromSeconds(5));
        Assert.Equal((AllowedHost, "denied", "default_deny"), (decision.Host, decision.Verdict, decision.Rule));
        Assert.Equal(before, fixture.Allowed.Connections);
    }
}
