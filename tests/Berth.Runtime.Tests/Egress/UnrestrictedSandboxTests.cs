using System.Diagnostics;
using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using Berth.Core.Environments;
using Berth.Runtime.Tests.Egress.Support;
using Berth.Runtime.Tests.Support;

namespace Berth.Runtime.Tests.Egress;

/// <summary>
/// An <c>unrestricted</c> sandbox reaches public hosts (here: this machine's Debian mirror), but
/// never the host, the container runtime, other sandboxes or link-local addresses.
/// </summary>
[Collection(EgressTestGroup.Name)]
public sealed class UnrestrictedSandboxTests(EgressFixture fixture)
{
    private const string MetadataAddress = "169.254.169.254";
    private const int DockerApiPort = 2375;

    // curl's exit code when the connection was refused, as the firewall's reset makes it.
    private const int ConnectionRefused = 7;

    [Fact]
    public async Task HostAddresses_AndTheDockerApiPort_AreUnreachable()
    {
        var listener = new TcpListener(IPAddress.Any, 0);
        listener.Start();
        try
        {
            using var timeout = Bounded.Quick();
            var sandbox = await fixture.StartSandboxAsync(NetworkingConfig.Unrestricted, timeout.Token);
            var port = ((IPEndPoint)listener.LocalEndpoint).Port;

            foreach (var address in HostAddresses())
            {
                var api = await sandbox.RunAsync($"curl -sS --max-time 3 http://{address}:{port}/", timeout.Token);
                var docker = await sandbox.RunAsync(
                    $"curl -sS --max-time 3 http://{address}:{DockerApiPort}/version", timeout.Token);

                Assert.Equal(ConnectionRefused, api.ExitCode);
                Assert.Equal(ConnectionRefused, docker.ExitCode);
                await fixture.Decisions.WaitForAsync(sandbox.SessionId,
                    d => d.Host == address.ToString() && d.Port == port && d.Verdict == "denied",
                    TimeSpan.FromSeconds(5));
            }

            var socket = await sandbox.RunAsync("test -e /var/run/docker.sock", timeout.Token);
            Assert.NotEqual(0, socket.ExitCode);
            Assert.False(listener.Pending());
        }
        finally
        {
            listener.Stop();
        }
    }

    [Fact]
    public async Task AnotherSandbox_IsUnreachable()
    {
        using var timeout = Bounded.Quick();
        var server = await fixture.StartSandboxAsync(NetworkingConfig.Unrestricted, timeout.Token);
        var open = await fixture.StartSandboxAsync(NetworkingConfig.Unrestricted, timeout.Token);
        var confined = await fixture.StartSandboxAsync(
            new NetworkingConfig(NetworkingType.Limited, [EgressFixture.AllowedHost], null, null), timeout.Token);
        await server.RunAsync("nohup python3 -m http.server 8000 >/dev/null 2>&1 &", timeout.Token);
        var address = (await server.RunAsync("hostname -I", timeout.Token)).Output.Trim();
        var itself = await server.RunAsync(
            "sleep 1; curl -sS -o /dev/null --max-time 5 http://127.0.0.1:8000/", timeout.Token);

        var fromOpen = await open.RunAsync($"curl -sSf --max-time 3 http://{address}:8000/", timeout.Token);
        var fromConfined = await confined.RunAsync($"curl -sSf --max-time 3 http://{address}:8000/", timeout.Token);

        Assert.Equal(0, itself.ExitCode);
        Assert.True(fromOpen.ExitCode != 0, fromOpen.Output);
        Assert.True(fromConfined.ExitCode != 0, fromConfined.Output);
    }

    [Fact]
    public async Task MetadataAddress_IsRefusedBeforeAnyPacketLeaves()
    {
        using var timeout = Bounded.Quick();
        var sandbox = await fixture.StartSandboxAsync(NetworkingConfig.Unrestricted, timeout.Token);
        var chain = await ListChainAsync($"{fixture.Names.ChainPrefix}-FWD", timeout.Token);
        Assert.Contains("-d 169.254.0.0/16", chain, StringComparison.Ordinal);

        var result = await sandbox.RunAsync($"curl -sS --max-time 2 http://{MetadataAddress}/", timeout.Token);

        Assert.Equal(ConnectionRefused, result.ExitCode);
        var decision = await fixture.Decisions.WaitForAsync(
            sandbox.SessionId, d => d.Host == MetadataAddress, TimeSpan.FromSeconds(5));
        Assert.Equal(("tcp", 80, "denied"), (decision.Protocol, decision.Port, decision.Verdict));
    }

    [Fact]
    public async Task ProxyConnect_ToTheMetadataAddress_Is403BeforeTheTunnelIsPromised()
    {
        using var timeout = Bounded.Quick();
        var sandbox = await fixture.StartSandboxAsync(NetworkingConfig.Unrestricted, timeout.Token);

        var result = await sandbox.RunAsync(
            $"curl -sS --max-time 5 -o /dev/null -w '%{{http_connect}}' "
            + $"-x http://{sandbox.Gateway}:{EgressFixture.ProxyPort} https://{MetadataAddress}/",
            timeout.Token);

        Assert.EndsWith("403", result.Output, StringComparison.Ordinal);
        Assert.True(result.Duration < TimeSpan.FromSeconds(3), $"took {result.Duration}");
        var decision = await fixture.Decisions.WaitForAsync(
            sandbox.SessionId, d => d.Host == MetadataAddress, TimeSpan.FromSeconds(5));
        Assert.Equal(("http", 443, "denied"), (decision.Protocol, decision.Port, decision.Verdict));
    }

    [Fact]
    public async Task AptGetUpdate_ReachesThisMachinesMirror()
    {
        using var timeout = Bounded.Build();
        var sandbox = await fixture.StartSandboxAsync(NetworkingConfig.Unrestricted, timeout.Token);

        var result = await sandbox.RunAsync("apt-get update", timeout.Token);

        Assert.True(result.ExitCode == 0 && !result.Output.Contains("Err:", StringComparison.Ordinal), result.Output);
    }

    private static IEnumerable<IPAddress> HostAddresses() =>
        NetworkInterface.GetAllNetworkInterfaces()
            .SelectMany(n => n.GetIPProperties().UnicastAddresses)
            .Select(a => a.Address)
            .Where(a => a.AddressFamily == AddressFamily.InterNetwork && !IPAddress.IsLoopback(a));

    private static async Task<string> ListChainAsync(string chain, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo("iptables", ["-S", chain]) { RedirectStandardOutput = true };
        using var process = Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);

        return output;
    }
}
