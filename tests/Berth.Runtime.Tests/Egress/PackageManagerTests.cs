using Berth.Core.Environments;
using Berth.Runtime.Tests.Egress.Support;
using Berth.Runtime.Tests.Support;

namespace Berth.Runtime.Tests.Egress;

/// <summary>
/// <c>allow_package_managers</c> opens this machine's Debian mirror to a <c>limited</c> sandbox,
/// and only then.
/// </summary>
[Collection(EgressTestGroup.Name)]
public sealed class PackageManagerTests(EgressFixture fixture)
{
    [Fact]
    public async Task AptGetUpdate_WithoutPackageManagers_FailsAndTheDenialNamesTheMirror()
    {
        using var timeout = Bounded.Build();
        var sandbox = await fixture.StartSandboxAsync(
            new NetworkingConfig(NetworkingType.Limited, [EgressFixture.AllowedHost], false, null), timeout.Token);

        var result = await sandbox.RunAsync("apt-get update", timeout.Token);

        Assert.Contains("Err:", result.Output, StringComparison.Ordinal);
        var denial = await fixture.Decisions.WaitForAsync(
            sandbox.SessionId, d => d.Verdict == "denied" && result.Output.Contains(d.Host, StringComparison.Ordinal),
            TimeSpan.FromSeconds(5));
        Assert.Equal(("dns", "default_deny"), (denial.Protocol, denial.Rule));
    }

    [Fact]
    public async Task AptGetUpdate_WithPackageManagers_Works()
    {
        using var timeout = Bounded.Build();
        var sandbox = await fixture.StartSandboxAsync(
            new NetworkingConfig(NetworkingType.Limited, [EgressFixture.AllowedHost], true, null), timeout.Token);

        var result = await sandbox.RunAsync("apt-get update", timeout.Token);

        Assert.True(result.ExitCode == 0 && !result.Output.Contains("Err:", StringComparison.Ordinal), result.Output);
        var decision = await fixture.Decisions.WaitForAsync(
            sandbox.SessionId, d => d is { Protocol: "http", Verdict: "allowed" }, TimeSpan.FromSeconds(5));
        Assert.Equal("package_managers", decision.Rule);
    }
}
