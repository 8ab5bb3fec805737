using Berth.Core.Environments;
using Berth.Runtime.Tests.Egress.Support;
using Berth.Runtime.Tests.Support;
using static Berth.Runtime.Tests.Egress.Support.EgressFixture;

namespace Berth.Runtime.Tests.Egress;

/// <summary>
/// The connections a sandbox holds open through the gateway: no more than the limit at once,
/// and none left once the sandbox is unregistered.
/// </summary>
[Collection(EgressTestGroup.Name)]
public sealed class OpenConnectionTests(EgressFixture fixture)
{
    private static readonly NetworkingConfig Limited =
        new(NetworkingType.Limited, [AllowedHost], null, null);

    // Opens TLS connections to the allowed host and holds them, handshake done, while it asks
    // for one more over HTTP; then closes one and asks again.
    private static readonly string HoldConnections =
        "python3 - <<'EOF'\n"
        + "import socket, ssl, subprocess, time\n"
        + "context = ssl.create_default_context(); context.check_hostname = False; context.verify_mode = ssl.CERT_NONE\n"
        + $"held = [context.wrap_socket(socket.create_connection(('{AllowedHost}', 443), timeout=10), server_hostname='{AllowedHost}') for _ in range({ConnectionLimit})]\n"
        + $"ask = lambda: subprocess.run(['curl', '-sS', '--max-time', '10', '-w', ' %{{http_code}}', 'http://{AllowedHost}/'], capture_output=True, text=True).stdout\n"
        + "print(ask())\n"
        + "held.pop().close(); time.sleep(1)\n"
        + "print(ask())\n"
        + "EOF";

    [Fact]
    public async Task ConnectionsPastTheLimit_AreRefusedWithTheReason_UntilOneCloses()
    {
        using var timeout = Bounded.Quick();
        var sandbox = await fixture.StartSandboxAsync(Limited, timeout.Token);

        var result = await sandbox.RunAsync(HoldConnections, timeout.Token);

        Assert.Equal(
            $"Berth egress gateway: this sandbox has {ConnectionLimit} connections open through the gateway, "
            + "its limit; close some and retry.\n 503\n"
            + $"hello from {AllowedHost} (Host: {AllowedHost})\n 200",
            result.Output);
    }

    [Fact]
    public async Task UnregisteringTheSandbox_EndsItsOpenConnections()
    {
        using var timeout = Bounded.Quick();
        var sandbox = await fixture.StartSandboxAsync(Limited, timeout.Token);
        var holding = sandbox.RunAsync(
            "python3 - <<'EOF'\n"
            + "import socket, ssl\n"
            + "context = ssl.create_default_context(); context.check_hostname = False; context.verify_mode = ssl.CERT_NONE\n"
            + $"held = context.wrap_socket(socket.create_connection(('{AllowedHost}', 443), timeout=20), server_hostname='{AllowedHost}')\n"
            + "try:\n"
            + "    print('ended' if held.recv(1) == b'' else 'data')\n"
            + "except (ConnectionError, ssl.SSLError) as e:\n"
            + "    print('ended')\n"
            + "except socket.timeout:\n"
            + "    print('still open')\n"
            + "EOF",
            timeout.Token);
        await fixture.Decisions.WaitForAsync(
            sandbox.SessionId, d => d is { Protocol: "tls", Host: AllowedHost, Verdict: "allowed" },
            TimeSpan.FromSeconds(10));
        await Task.Delay(TimeSpan.FromSeconds(1), timeout.Token);

        Assert.True(fixture.Gateway.Unregister(sandbox.SessionId));
        var result = await holding;

        Assert.Equal("ended", result.Output.Trim());
        Assert.True(result.Duration < TimeSpan.FromSeconds(15), $"took {result.Duration}");
    }
}
