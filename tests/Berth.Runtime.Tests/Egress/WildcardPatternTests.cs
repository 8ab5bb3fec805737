using Berth.Core.Environments;
using Berth.Runtime.Tests.Egress.Support;
using Berth.Runtime.Tests.Support;
using static Berth.Runtime.Tests.Egress.Support.EgressFixture;

namespace Berth.Runtime.Tests.Egress;

/// <summary><c>*.allowed.test</c> opens every name below allowed.test, at any depth, but not itself.</summary>
[Collection(EgressTestGroup.Name)]
public sealed class WildcardPatternTests(EgressFixture fixture)
{
    private const string Pattern = $"*.{AllowedHost}";

    private static readonly NetworkingConfig Limited = new(NetworkingType.Limited, [Pattern], null, null);

    [Theory]
    [InlineData(CdnHost)]
    [InlineData(DeepHost)]
    public async Task NameBelowThePattern_IsReached(string host)
    {
        using var timeout = Bounded.Quick();
        var sandbox = await fixture.StartSandboxAsync(Limited, timeout.Token);

        var result = await sandbox.RunAsync($"curl -sS --max-time 10 http://{host}/", timeout.Token);

        Assert.Equal($"hello from {AllowedHost} (Host: {host})", result.Output);
        var decision = await fixture.Decisions.WaitForAsync(
            sandbox.SessionId, d => d is { Protocol: "http" } && d.Host == host, TimeSpan.FromSeconds(5));
        Assert.Equal(("allowed", $"allowed_hosts:{Pattern}"), (decision.Verdict, decision.Rule));
    }

    [Fact]
    public async Task ThePatternsOwnDomain_IsDenied()
    {
        using var timeout = Bounded.Quick();
        var sandbox = await fixture.StartSandboxAsync(Limited, timeout.Token);

        var result = await sandbox.RunAsync($"getent hosts {AllowedHost}", timeout.Token);

        Assert.NotEqual(0, result.ExitCode);
        var decision = await fixture.Decisions.WaitForAsync(
            sandbox.SessionId, d => d.Host == AllowedHost, TimeSpan.FromSeconds(5));
        Assert.Equal(("denied", "default_deny"), (decision.Verdict, decision.Rule));
    }
}
