using Berth.Core.Environments;
using Berth.Runtime.Tests.Egress.Support;
using Berth.Runtime.Tests.Support;
using static Berth.Runtime.Tests.Egress.Support.EgressFixture;

namespace Berth.Runtime.Tests.Egress;

/// <summary>
/// The gateway answers a confined sandbox's TLS itself: the sandbox trusts it, the upstream must
/// prove itself to the gateway, and what the TLS carries must be HTTP that the gateway can check.
/// </summary>
[Collection(EgressTestGroup.Name)]
public sealed class TlsInspectionTests(EgressFixture fixture)
{
    private static readonly NetworkingConfig Limited =
        new(NetworkingType.Limited, [AllowedHost, UntrustedHost], null, null);

    [Fact]
    public async Task Sandbox_SeesTheGatewaysCertificate_ForTheHostItNamed()
    {
        using var timeout = Bounded.Quick();
        var sandbox = await fixture.StartSandboxAsync(Limited, timeout.Token);

        var result = await sandbox.RunAsync(
            $"curl -sS --max-time 10 -o /dev/null -w '%{{certs}}' https://{AllowedHost}/ "
            + "| openssl x509 -noout -subject -issuer -ext subjectAltName",
            timeout.Token);

        Assert.Contains($"subject=CN = {AllowedHost}", result.Output, StringComparison.Ordinal);
        Assert.Contains("CN = Berth egress gateway", result.Output.Split('\n')[1], StringComparison.Ordinal);
        Assert.Contains($"DNS:{AllowedHost}", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Upstream_WhoseCertificateIsNotTrusted_Is502NamingTheCertificate()
    {
        using var timeout = Bounded.Quick();
        var sandbox = await fixture.StartSandboxAsync(Limited, timeout.Token);

        var result = await sandbox.RunAsync(
            $"curl -sS --max-time 10 -w ' %{{http_code}}' https://{UntrustedHost}/", timeout.Token);

        Assert.EndsWith(" 502", result.Output, StringComparison.Ordinal);
        Assert.Contains(
            "its TLS certificate is not trusted (UntrustedRoot", result.Output, StringComparison.Ordinal);
        Assert.Equal(0, fixture.Untrusted.Requests);
    }

    [Fact]
    public async Task NotHttp_InsideTls_IsResetAndRecordedAsDenied()
    {
        using var timeout = Bounded.Quick();
        var sandbox = await fixture.StartSandboxAsync(Limited, timeout.Token);
        var connectionsBefore = fixture.Allowed.Connections;

        var result = await sandbox.RunAsync(
            "python3 - <<'EOF'\n"
            + "import socket, ssl\n"
            + $"raw = socket.create_connection(('{AllowedHost}', 443), timeout=10)\n"
            + $"held = ssl.create_default_context().wrap_socket(raw, server_hostname='{AllowedHost}')\n"
            + "held.sendall(b'\\x00\\x01 not a request\\r\\n\\r\\n')\n"
            + "try:\n"
            + "    print('ended' if held.recv(1) == b'' else 'data')\n"
            + "except (ConnectionError, ssl.SSLError):\n"
            + "    print('ended')\n"
            + "EOF",
            timeout.Token);

        Assert.Equal("ended", result.Output);
        var decision = await fixture.Decisions.WaitForAsync(
            sandbox.SessionId, d => d is { Protocol: "tls", Host: AllowedHost, Verdict: "denied" },
            TimeSpan.FromSeconds(5));
        Assert.Equal("default_deny", decision.Rule);
        Assert.Equal(connectionsBefore, fixture.Allowed.Connections);
    }

    [Fact]
    public async Task UnrestrictedSandbox_IsNotGivenTheGatewaysAuthority()
    {
        using var timeout = Bounded.Quick();
        var network = await fixture.Gateway.EnsureNetworkAsync(
            new NetworkingConfig(NetworkingType.Unrestricted, null, null, null), timeout.Token);
        var confined = await fixture.Gateway.EnsureNetworkAsync(Limited, timeout.Token);

        Assert.Null(Assert.IsType<Runtime.Egress.EgressNetworkReady>(network).TrustedCertificate);
        Assert.Equal(
            Path.Combine(fixture.CertificateDirectory, "egress-ca.crt"),
            Assert.IsType<Runtime.Egress.EgressNetworkReady>(confined).TrustedCertificate);
    }

    [Fact]
    public async Task RequestBody_GoesUpstreamWhole_AndWhatIsPipelinedAfterItDoesNot()
    {
        using var timeout = Bounded.Quick();
        var sandbox = await fixture.StartSandboxAsync(Limited, timeout.Token);

        // A 1 MiB upload and, in the same write, a second request naming a denied host.
        var result = await sandbox.RunAsync(
            "python3 - <<'EOF'\n"
            + "import socket, ssl\n"
            + $"raw = socket.create_connection(('{AllowedHost}', 443), timeout=10)\n"
            + $"s = ssl.create_default_context().wrap_socket(raw, server_hostname='{AllowedHost}')\n"
            + "body = b'x' * (1 << 20)\n"
            + $"first = b'POST /up HTTP/1.1\\r\\nHost: {AllowedHost}\\r\\nContent-Length: %d\\r\\n\\r\\n' % len(body)\n"
            + $"second = b'GET / HTTP/1.1\\r\\nHost: {DeniedHost}\\r\\n\\r\\n'\n"
            + "s.sendall(first + body + second)\n"
            + "got = b''\n"
            + "while (chunk := s.recv(65536)):\n"
            + "    got += chunk\n"
            + "print(got.split(b'\\r\\n\\r\\n', 1)[1].decode(), end='')\n"
            + "EOF",
            timeout.Token);

        Assert.Equal($"hello from {AllowedHost} (Host: {AllowedHost}), body 1048576 bytes, 0 after it", result.Output);
    }

    private static string SendOverTls(string bytes) =>
        RawRequests.Send(AllowedHost, 443, bytes, RawRequests.Shown.FirstStatusLineAndBody, tls: true);

    [Fact]
    public async Task UpgradeRequest_ThatIsNotSwitched_CarriesNothingPipelinedAfterIt()
    {
        using var timeout = Bounded.Quick();
        var sandbox = await fixture.StartSandboxAsync(Limited, timeout.Token);

        var result = await sandbox.RunAsync(
            SendOverTls(
                $"b'POST /a HTTP/1.1\\r\\nHost: {AllowedHost}\\r\\nUpgrade: foo\\r\\nContent-Length: 3\\r\\n\\r\\nabc"
                + $"GET /b HTTP/1.1\\r\\nHost: {DeniedHost}\\r\\n\\r\\n'"),
            timeout.Token);

        Assert.Equal($"HTTP/1.1 200 OK hello from {AllowedHost} (Host: {AllowedHost}), body 3 bytes, 0 after it", result.Output);
    }

    [Fact]
    public async Task MalformedRequest_InsideTls_Is400()
    {
        using var timeout = Bounded.Quick();
        var sandbox = await fixture.StartSandboxAsync(Limited, timeout.Token);
        var requestsBefore = fixture.Allowed.Requests;

        var result = await sandbox.RunAsync(
            SendOverTls($"b'GET / HTTP/1.1\\r\\nHost: {AllowedHost}\\r\\nHost: {DeniedHost}\\r\\n\\r\\n'"),
            timeout.Token);

        Assert.StartsWith("HTTP/1.1 400 Bad Request", result.Output, StringComparison.Ordinal);
        Assert.Equal(requestsBefore, fixture.Allowed.Requests);
    }

    [Theory]
    [InlineData(80)]
    [InlineData(443)]
    public async Task UpgradeRequest_ThatIsSwitched_CarriesTheNewProtocolBothWays(int port)
    {
        using var timeout = Bounded.Quick();
        var sandbox = await fixture.StartSandboxAsync(Limited, timeout.Token);

        var result = await sandbox.RunAsync(
            "python3 - <<'EOF'\n"
            + "import socket, ssl\n"
            + $"s = socket.create_connection(('{AllowedHost}', {port}), timeout=10)\n"
            + (port == 443
                ? $"s = ssl.create_default_context().wrap_socket(s, server_hostname='{AllowedHost}')\n"
                : "")
            + $"s.sendall(b'GET /ws HTTP/1.1\\r\\nHost: {AllowedHost}\\r\\nConnection: Upgrade\\r\\nUpgrade: echo\\r\\n\\r\\n')\n"
            + "got = b''\n"
            + "while b'\\r\\n\\r\\n' not in got:\n"
            + "    got += s.recv(4096)\n"
            + "replies = []\n"
            + "for word in (b'ping', b'pong'):\n"
            + "    s.sendall(word)\n"
            + "    replies.append(s.recv(4096).decode())\n"
            + "print(got.split(b'\\r\\n')[0].decode(), *replies)\n"
            + "EOF",
            timeout.Token);

        Assert.Equal("HTTP/1.1 101 Switching Protocols ping pong", result.Output);
    }

    [Fact]
    public async Task ChunkedBody_GoesUpstreamWhole_AndWhatIsPipelinedAfterItDoesNot()
    {
        using var timeout = Bounded.Quick();
        var sandbox = await fixture.StartSandboxAsync(Limited, timeout.Token);

        var result = await sandbox.RunAsync(
            SendOverTls(
                $"b'POST /ch HTTP/1.1\\r\\nHost: {AllowedHost}\\r\\nTransfer-Encoding: chunked\\r\\n\\r\\n"
                + "5;ext=1\\r\\nhello\\r\\n3\\r\\nabc\\r\\n0\\r\\n\\r\\n"
                + $"GET /b HTTP/1.1\\r\\nHost: {DeniedHost}\\r\\n\\r\\n'"),
            timeout.Token);

        // The chunked body, framing and all, is 29 bytes.
        Assert.Equal($"HTTP/1.1 200 OK hello from {AllowedHost} (Host: {AllowedHost}), body 29 bytes, 0 after it", result.Output);
    }

    [Theory]
    [InlineData("CONNECT denied.test:443 HTTP/1.1\\r\\nHost: allowed.test\\r\\n\\r\\n")]
    [InlineData("GET / HTTP/1.0\\r\\n\\r\\n")]
    public async Task RequestThatCouldReachAnotherSite_InsideTls_Is400(string request)
    {
        using var timeout = Bounded.Quick();
        var sandbox = await fixture.StartSandboxAsync(Limited, timeout.Token);
        var requestsBefore = fixture.Allowed.Requests;

        var result = await sandbox.RunAsync(SendOverTls($"b'{request}'"), timeout.Token);

        Assert.StartsWith("HTTP/1.1 400 Bad Request", result.Output, StringComparison.Ordinal);
        Assert.Equal(requestsBefore, fixture.Allowed.Requests);
    }
}
