using Berth.Core.Environments;
using Berth.Runtime.Tests.Egress.Support;
using Berth.Runtime.Tests.Support;
using static Berth.Runtime.Tests.Egress.Support.EgressFixture;

namespace Berth.Runtime.Tests.Egress;

/// <summary>
/// Naming an allowed host in one place does not carry a denied one through in another: the TLS
/// server name, the Host header, a proxy request's target and the name inside a tunnel.
/// </summary>
[Collection(EgressTestGroup.Name)]
public sealed class NameMismatchTests(EgressFixture fixture)
{
    private static readonly NetworkingConfig Limited =
        new(NetworkingType.Limited, [AllowedHost], null, null);

    [Fact]
    public async Task Tls_NamingADeniedHost_WithAnAllowedHostHeader_IsClosed()
    {
        using var timeout = Bounded.Quick();
        var sandbox = await fixture.StartSandboxAsync(Limited, timeout.Token);

        var result = await sandbox.RunAsync(
            $"curl -sS -k --max-time 10 --resolve {DeniedHost}:443:{sandbox.Gateway} "
            + $"-H 'Host: {AllowedHost}' https://{DeniedHost}/",
            timeout.Token);

        Assert.NotEqual(0, result.ExitCode);
        var decision = await fixture.Decisions.WaitForAsync(
            sandbox.SessionId, d => d is { Protocol: "tls", Host: DeniedHost }, TimeSpan.FromSeconds(5));
        Assert.Equal(("denied", "default_deny"), (decision.Verdict, decision.Rule));
        Assert.Equal(0, fixture.Denied.Connections);
    }

    [Fact]
    public async Task Http_WithAnAbsoluteTargetNamingADeniedHost_AndAnAllowedHostHeader_Is403()
    {
        using var timeout = Bounded.Quick();
        var sandbox = await fixture.StartSandboxAsync(Limited, timeout.Token);

        var result = await sandbox.RunAsync(
            $"curl -sS --max-time 10 -w ' %{{http_code}}' --request-target http://{DeniedHost}/ "
            + $"http://{AllowedHost}/",
            timeout.Token);

        Assert.EndsWith(" 403", result.Output, StringComparison.Ordinal);
        Assert.Contains($"{DeniedHost}:80 is denied", result.Output, StringComparison.Ordinal);
        var decision = await fixture.Decisions.WaitForAsync(
            sandbox.SessionId, d => d is { Protocol: "http", Host: DeniedHost }, TimeSpan.FromSeconds(5));
        Assert.Equal(("denied", "default_deny"), (decision.Verdict, decision.Rule));
        Assert.Equal(0, fixture.Denied.Connections);
    }

    // The gateway answers the TLS itself, so it reads the Host header inside as well.
    [Fact]
    public async Task Tls_NamingTheAllowedHost_WithADeniedHostHeader_Is403()
    {
        using var timeout = Bounded.Quick();
        var sandbox = await fixture.StartSandboxAsync(Limited, timeout.Token);
        var connectionsBefore = fixture.Allowed.Connections;

        var result = await sandbox.RunAsync(
            $"curl -sS --max-time 10 -w ' %{{http_code}}' -H 'Host: {DeniedHost}' https://{AllowedHost}/",
            timeout.Token);

        Assert.EndsWith(" 403", result.Output, StringComparison.Ordinal);
        Assert.Contains($"{DeniedHost}:443 is denied", result.Output, StringComparison.Ordinal);
        var decision = await fixture.Decisions.WaitForAsync(
            sandbox.SessionId, d => d is { Protocol: "tls", Host: DeniedHost }, TimeSpan.FromSeconds(5));
        Assert.Equal(("denied", "default_deny"), (decision.Verdict, decision.Rule));
        Assert.Equal(0, fixture.Denied.Connections);
        Assert.Equal(connectionsBefore, fixture.Allowed.Connections);
    }

    [Fact]
    public async Task Tls_NamingTheAllowedHost_WithADeniedAbsoluteTarget_Is403()
    {
        using var timeout = Bounded.Quick();
        var sandbox = await fixture.StartSandboxAsync(Limited, timeout.Token);

        var result = await sandbox.RunAsync(
            $"curl -sS --max-time 10 -w ' %{{http_code}}' --request-target https://{DeniedHost}/ "
            + $"https://{AllowedHost}/",
            timeout.Token);

        Assert.EndsWith(" 403", result.Output, StringComparison.Ordinal);
        Assert.Equal(0, fixture.Denied.Connections);
    }

    [Fact]
    public async Task Tls_ToAnAllowedHost_CarriesOneRequest_SoASecondCannotNameADeniedHost()
    {
        using var timeout = Bounded.Quick();
        var sandbox = await fixture.StartSandboxAsync(Limited, timeout.Token);

        // Two requests that curl would send on one connection: the second goes on a new one,
        // whose Host header the gateway checks again.
        var result = await sandbox.RunAsync(
            $"curl -sS --max-time 10 -w '%{{http_code}} %{{num_connects}}\\n' https://{AllowedHost}/ --next "
            + $"-sS --max-time 10 -w '%{{http_code}} %{{num_connects}}\\n' -H 'Host: {DeniedHost}' https://{AllowedHost}/",
            timeout.Token);

        Assert.StartsWith($"hello from {AllowedHost} (Host: {AllowedHost})\n200 1\n", result.Output, StringComparison.Ordinal);
        Assert.EndsWith("\n403 1", result.Output, StringComparison.Ordinal);
        Assert.Equal(0, fixture.Denied.Connections);
    }

    [Fact]
    public async Task ProxyConnect_ToTheAllowedHost_WithAHostHeaderNamingADeniedHost_IsDenied()
    {
        using var timeout = Bounded.Quick();
        var sandbox = await fixture.StartSandboxAsync(Limited, timeout.Token);

        var result = await sandbox.RunAsync(
            $"curl -sS -k -p --max-time 10 -x http://{sandbox.Gateway}:{ProxyPort} "
            + $"--proxy-header 'Host: {DeniedHost}:443' https://{AllowedHost}/",
            timeout.Token);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("403", result.Output, StringComparison.Ordinal);
        var decision = await fixture.Decisions.WaitForAsync(
            sandbox.SessionId, d => d.Host == DeniedHost, TimeSpan.FromSeconds(5));
        Assert.Equal(("http", "denied"), (decision.Protocol, decision.Verdict));
        Assert.Equal(0, fixture.Denied.Connections);
    }

    [Fact]
    public async Task ProxyConnect_ToTheAllowedHost_WithTlsNamingADeniedHost_IsClosed()
    {
        using var timeout = Bounded.Quick();
        var sandbox = await fixture.StartSandboxAsync(Limited, timeout.Token);

        var result = await sandbox.RunAsync(
            $"curl -sS -k -p --max-time 10 -x http://{sandbox.Gateway}:{ProxyPort} "
            + $"--connect-to {DeniedHost}:443:{AllowedHost}:443 https://{DeniedHost}/",
            timeout.Token);

        Assert.NotEqual(0, result.ExitCode);
        var decision = await fixture.Decisions.WaitForAsync(
            sandbox.SessionId, d => d.Host == DeniedHost, TimeSpan.FromSeconds(5));
        Assert.Equal(("tls", "denied"), (decision.Protocol, decision.Verdict));
        Assert.Equal(0, fixture.Denied.Connections);
    }

    [Fact]
    public async Task ProxyRequest_ForADeniedHost_WithAnAllowedHostHeader_Is403()
    {
        using var timeout = Bounded.Quick();
        var sandbox = await fixture.StartSandboxAsync(Limited, timeout.Token);

        var result = await sandbox.RunAsync(
            $"curl -sS --max-time 10 -w ' %{{http_code}}' -x http://{sandbox.Gateway}:{ProxyPort} "
            + $"-H 'Host: {AllowedHost}' http://{DeniedHost}/",
            timeout.Token);

        Assert.EndsWith(" 403", result.Output, StringComparison.Ordinal);
        Assert.Contains(DeniedHost, result.Output, StringComparison.Ordinal);
        Assert.Equal(0, fixture.Denied.Connections);
    }

    [Fact]
    public async Task ProxyRequest_ForTheAllowedHost_ReachesIt()
    {
        using var timeout = Bounded.Quick();
        var sandbox = await fixture.StartSandboxAsync(Limited, timeout.Token);

        var result = await sandbox.RunAsync(
            $"curl -sS --max-time 10 -x http://{sandbox.Gateway}:{ProxyPort} http://{AllowedHost}/", timeout.Token);
        var tunnel = await sandbox.RunAsync(
            $"curl -sS -k --max-time 10 -x http://{sandbox.Gateway}:{ProxyPort} https://{AllowedHost}/", timeout.Token);

        Assert.Equal($"hello from {AllowedHost} (Host: {AllowedHost})", result.Output);
        Assert.Equal($"hello from {AllowedHost} (Host: {AllowedHost})", tunnel.Output);
    }

    [Theory]
    [InlineData("b'GET / HTTP/1.1\\r\\nHost: allowed.test\\r\\nHost: denied.test\\r\\n\\r\\n'")]
    [InlineData("b'GET / HTTP/1.1\\r\\nHost: denied.test:99999\\r\\n\\r\\n'")]
    [InlineData("b'GET / HTTP/1.1\\nHost: denied.test\\n\\n'")]
    [InlineData("b'GET ws://denied.test/ HTTP/1.1\\r\\nHost: allowed.test\\r\\nUpgrade: websocket\\r\\n\\r\\n'")]
    public async Task Http_ThatAnUpstreamMightReadAsNamingADeniedHost_IsRefusedAtOnce(string request)
    {
        using var timeout = Bounded.Quick();
        var sandbox = await fixture.StartSandboxAsync(Limited, timeout.Token);
        var requestsBefore = fixture.Allowed.Requests;

        var result = await sandbox.RunAsync(
            RawRequests.Send(AllowedHost, 80, request, RawRequests.Shown.LastStatusLine), timeout.Token);

        Assert.Equal("HTTP/1.1 403 Forbidden", result.Output);
        Assert.True(result.Duration < TimeSpan.FromSeconds(5), $"took {result.Duration}");
        Assert.Equal(requestsBefore, fixture.Allowed.Requests);
        Assert.Equal(0, fixture.Denied.Connections);
    }

    [Fact]
    public async Task ProxyConnect_CarryingAMalformedRequest_Is400()
    {
        using var timeout = Bounded.Quick();
        var sandbox = await fixture.StartSandboxAsync(Limited, timeout.Token);
        var requestsBefore = fixture.Allowed.Requests;

        var result = await sandbox.RunAsync(
            RawRequests.Send(sandbox.Gateway.ToString(), ProxyPort,
                $"b'CONNECT {AllowedHost}:80 HTTP/1.1\\r\\nHost: {AllowedHost}:80\\r\\n\\r\\n"
                + $"GET / HTTP/1.1\\r\\nHost: {AllowedHost}\\r\\nHost: {DeniedHost}\\r\\n\\r\\n'",
                RawRequests.Shown.LastStatusLine),
            timeout.Token);

        Assert.Equal("HTTP/1.1 400 Bad Request", result.Output);
        Assert.Equal(requestsBefore, fixture.Allowed.Requests);
    }

    [Fact]
    public async Task PlainUpgradeRequest_ThatIsNotSwitched_CarriesNothingPipelinedAfterIt()
    {
        using var timeout = Bounded.Quick();
        var sandbox = await fixture.StartSandboxAsync(Limited, timeout.Token);

        var result = await sandbox.RunAsync(
            RawRequests.Send(AllowedHost, 80,
                $"b'POST /a HTTP/1.1\\r\\nHost: {AllowedHost}\\r\\nUpgrade: foo\\r\\nContent-Length: 3\\r\\n\\r\\nabc"
                + $"GET /b HTTP/1.1\\r\\nHost: {DeniedHost}\\r\\n\\r\\n'",
                RawRequests.Shown.LastBody),
            timeout.Token);

        Assert.Equal($"hello from {AllowedHost} (Host: {AllowedHost}), body 3 bytes, 0 after it", result.Output);
    }

    [Fact]
    public async Task ProxyConnect_CarryingPlainHttp_CarriesOneRequest()
    {
        using var timeout = Bounded.Quick();
        var sandbox = await fixture.StartSandboxAsync(Limited, timeout.Token);

        var result = await sandbox.RunAsync(
            RawRequests.Send(sandbox.Gateway.ToString(), ProxyPort,
                $"b'CONNECT {AllowedHost}:80 HTTP/1.1\\r\\nHost: {AllowedHost}:80\\r\\n\\r\\n"
                + $"POST /a HTTP/1.1\\r\\nHost: {AllowedHost}\\r\\nContent-Length: 3\\r\\n\\r\\nabc"
                + $"GET /b HTTP/1.1\\r\\nHost: {DeniedHost}\\r\\n\\r\\n'",
                RawRequests.Shown.LastBody),
            timeout.Token);

        Assert.Equal($"hello from {AllowedHost} (Host: {AllowedHost}), body 3 bytes, 0 after it", result.Output);
    }

    [Fact]
    public async Task ProxyConnect_CarryingNeitherTlsNorHttp_IsResetAndRecorded()
    {
        using var timeout = Bounded.Quick();
        var sandbox = await fixture.StartSandboxAsync(Limited, timeout.Token);
        var connectionsBefore = fixture.Allowed.Connections;

        var result = await sandbox.RunAsync(
            RawRequests.Send(sandbox.Gateway.ToString(), ProxyPort,
                $"b'CONNECT {AllowedHost}:443 HTTP/1.1\\r\\nHost: {AllowedHost}:443\\r\\n\\r\\nSSH-2.0-tunnel\\r\\n'",
                RawRequests.Shown.LastStatusLine),
            timeout.Token);

        Assert.Equal("HTTP/1.1 200 Connection established", result.Output);
        var decision = await fixture.Decisions.WaitForAsync(
            sandbox.SessionId, d => d is { Protocol: "tcp", Host: AllowedHost }, TimeSpan.FromSeconds(5));
        Assert.Equal(("denied", "default_deny"), (decision.Verdict, decision.Rule));
        Assert.Equal(connectionsBefore, fixture.Allowed.Connections);
    }
}
