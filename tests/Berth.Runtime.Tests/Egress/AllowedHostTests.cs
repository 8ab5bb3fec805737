using Berth.Core.Environments;
using Berth.Runtime.Tests.Egress.Support;
using Berth.Runtime.Tests.Support;
using static Berth.Runtime.Tests.Egress.Support.EgressFixture;

namespace Berth.Runtime.Tests.Egress;

/// <summary>
/// A <c>limited</c> sandbox reaches its allowed host with ordinary clients and no proxy settings,
/// because its DNS sends every allowed name to the gateway.
/// </summary>
[Collection(EgressTestGroup.Name)]
public sealed class AllowedHostTests(EgressFixture fixture)
{
    private static readonly NetworkingConfig Limited =
        new(NetworkingType.Limited, [AllowedHost], null, null);

    [Fact]
    public async Task ConfinedNetwork_CarriesLoopbackSizedPackets_AndTheOpenOneTheUsualSize()
    {
        using var timeout = Bounded.Quick();
        var confined = await fixture.StartSandboxAsync(Limited, timeout.Token);
        var open = await fixture.StartSandboxAsync(NetworkingConfig.Unrestricted, timeout.Token);

        var confinedMtu = await confined.RunAsync("cat /sys/class/net/eth0/mtu", timeout.Token);
        var openMtu = await open.RunAsync("cat /sys/class/net/eth0/mtu", timeout.Token);

        Assert.Equal((0, "65520"), (confinedMtu.ExitCode, confinedMtu.Output.Trim()));
        Assert.Equal((0, "1500"), (openMtu.ExitCode, openMtu.Output.Trim()));
    }

    [Fact]
    public async Task Getent_AllowedHost_ResolvesToTheGateway()
    {
        using var timeout = Bounded.Quick();
        var sandbox = await fixture.StartSandboxAsync(Limited, timeout.Token);

        var result = await sandbox.RunAsync($"getent hosts {AllowedHost}", timeout.Token);

        Assert.Equal(0, result.ExitCode);
        Assert.Contains(sandbox.Gateway.ToString(), result.Output, StringComparison.Ordinal);
        var decision = await fixture.Decisions.WaitForAsync(
            sandbox.SessionId, d => d.Protocol == "dns" && d.Host == AllowedHost, TimeSpan.FromSeconds(5));
        Assert.Equal(("allowed", $"allowed_hosts:{AllowedHost}", 53), (decision.Verdict, decision.Rule, decision.Port));
    }

    [Fact]
    public async Task Curl_AllowedHost_OverHttpAndTls_ReachesIt()
    {
        using var timeout = Bounded.Quick();
        var sandbox = await fixture.StartSandboxAsync(Limited, timeout.Token);

        var http = await sandbox.RunAsync($"curl -sS --max-time 10 http://{AllowedHost}/", timeout.Token);
        // No -k: the sandbox trusts the certificate with which the gateway answers its TLS.
        var tls = await sandbox.RunAsync($"curl -sS --max-time 10 https://{AllowedHost}/", timeout.Token);

        Assert.Equal($"hello from {AllowedHost} (Host: {AllowedHost})", http.Output);
        Assert.Equal($"hello from {AllowedHost} (Host: {AllowedHost})", tls.Output);
        await fixture.Decisions.WaitForAsync(sandbox.SessionId,
            d => d is { Protocol: "http", Host: AllowedHost, Port: 80, Verdict: "allowed" }, TimeSpan.FromSeconds(5));
        await fixture.Decisions.WaitForAsync(sandbox.SessionId,
            d => d is { Protocol: "tls", Host: AllowedHost, Port: 443, Verdict: "allowed" }, TimeSpan.FromSeconds(5));
    }

    [Theory]
    [InlineData("http")]
    [InlineData("https")]
    public async Task PythonUrllib_AllowedHost_ReachesIt(string scheme)
    {
        using var timeout = Bounded.Quick();
        var sandbox = await fixture.StartSandboxAsync(Limited, timeout.Token);

        var result = await sandbox.RunAsync(
            "python3 -c \"import urllib.request; "
            + $"print(urllib.request.urlopen('{scheme}://{AllowedHost}/', timeout=10).read().decode(), end='')\"",
            timeout.Token);

        Assert.Equal($"hello from {AllowedHost} (Host: {AllowedHost})", result.Output);
    }

    [Theory]
    [InlineData("http")]
    [InlineData("https")]
    public async Task NodeFetch_AllowedHost_ReachesIt(string scheme)
    {
        using var timeout = Bounded.Quick();
        var sandbox = await fixture.StartSandboxAsync(Limited, timeout.Token);

        var result = await sandbox.RunAsync(
            $"node -e \"fetch('{scheme}://{AllowedHost}/').then(r => r.text()).then(t => process.stdout.write(t))"
            + ".catch(e => { console.error(e); process.exit(1); })\"",
            timeout.Token);

        Assert.Equal($"hello from {AllowedHost} (Host: {AllowedHost})", result.Output);
    }
}
