using Berth.Core.Environments;
using Berth.Runtime.Tests.Egress.Support;
using Berth.Runtime.Tests.Support;
using static Berth.Runtime.Tests.Egress.Support.EgressFixture;

namespace Berth.Runtime.Tests.Egress;

/// <summary>
/// The connections a sandbox holds open to the gateway: no more than the limit at once, counting
/// those still being read, and none left once the sandbox is unregistered.
/// </summary>
[Collection(EgressTestGroup.Name)]
public sealed class OpenConnectionTests(EgressFixture fixture)
{
    private static readonly NetworkingConfig Limited =
        new(NetworkingType.Limited, [AllowedHost], null, null);

    // Holds the limit's worth of connections, half forwarded TLS with the handshake done, half
    // silent ones the gateway is still waiting to read; asks for one more, closes one, asks again.
    private static readonly string HoldConnections =
        "python3 - <<'EOF'\n"
        + "import socket, ssl, subprocess, time\n"
        + "context = ssl.create_default_context(); context.check_hostname = False; context.verify_mode = ssl.CERT_NONE\n"
        + $"held = [context.wrap_socket(socket.create_connection(('{AllowedHost}', 443), timeout=10), server_hostname='{AllowedHost}') for _ in range({ConnectionLimit / 2})]\n"
        + $"held += [socket.create_connection(('{AllowedHost}', 80), timeout=10) for _ in range({ConnectionLimit / 2})]\n"
        + "time.sleep(0.5)\n"
        + $"ask = lambda: subprocess.run(['curl', '-sS', '--max-time', '5', '-o', '/dev/null', '-w', '%{{http_code}}', 'http://{AllowedHost}/'], capture_output=True, text=True)\n"
        + "refused = ask()\n"
        + "print(refused.returncode, refused.stdout)\n"
        + "held.pop(0).close(); time.sleep(1)\n"
        + "print(ask().stdout)\n"
        + "EOF";

    [Fact]
    public async Task ConnectionsPastTheLimit_AreResetAtOnce_UntilOneCloses()
    {
        using var timeout = Bounded.Quick();
        var sandbox = await fixture.StartSandboxAsync(Limited, timeout.Token);

        var result = await sandbox.RunAsync(HoldConnections, timeout.Token);

        // curl: 56 is a connection reset while receiving, 55 while still sending the request
        // (which one depends on how soon the reset arrives), 52 an empty reply.
        var lines = result.Output.Split('\n');
        Assert.True(lines.Length == 2, result.Output);
        Assert.Contains(lines[0], new[] { "56 000", "55 000", "52 000" });
        Assert.Equal("200", lines[1]);
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
