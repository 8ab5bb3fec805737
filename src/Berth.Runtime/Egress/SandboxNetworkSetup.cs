using System.Net;
using Berth.Runtime.Docker;

namespace Berth.Runtime.Egress;

/// <summary>
/// Makes sure this instance's two sandbox networks exist and reads where they sit. The confined
/// one is not masqueraded: its only way out is the gateway.
/// </summary>
internal sealed class SandboxNetworkSetup(DockerNetworkOperations networks, InstanceNames names)
{
    public const string NetworkKind = "sandbox-network";

    // Everything on the confined network goes to the gateway on this machine and no further, so
    // its links can carry packets as large as loopback's: a fraction of the per-packet work of
    // 1500-byte ones for the sandbox's half of every forwarded connection. The open network keeps
    // the engine's default, which fits the paths out to the internet.
    private const int ConfinedMtu = 65520;

    public async Task<(SandboxNetwork Confined, SandboxNetwork Open)> EnsureAsync(CancellationToken cancellationToken)
    {
        var confined = await EnsureAsync(names.ConfinedNetwork, names.ConfinedBridge, true, cancellationToken)
            .ConfigureAwait(false);
        var open = await EnsureAsync(names.OpenNetwork, names.OpenBridge, false, cancellationToken)
            .ConfigureAwait(false);

        return (confined, open);
    }

    /// <summary>Removes both networks; returns those the engine keeps for a stale endpoint.</summary>
    public async Task<IReadOnlyList<string>> RemoveAsync(CancellationToken cancellationToken)
    {
        List<string> kept = [];
        foreach (var network in new[] { names.ConfinedNetwork, names.OpenNetwork })
        {
            if (!await networks.RemoveAsync(network, cancellationToken).ConfigureAwait(false))
            {
                kept.Add(network);
            }
        }

        return kept;
    }

    private async Task<SandboxNetwork> EnsureAsync(
        string name, string bridge, bool isConfined, CancellationToken cancellationToken)
    {
        if (!await networks.ExistsAsync(name, cancellationToken).ConfigureAwait(false))
        {
            var labels = BerthLabels.For(names.Instance, NetworkKind);
            var spec = new NetworkSpec(name, bridge, !isConfined, labels) { Mtu = isConfined ? ConfinedMtu : null };
            await networks.CreateAsync(spec, cancellationToken).ConfigureAwait(false);
        }

        var addresses = await networks.InspectAddressesAsync(name, cancellationToken).ConfigureAwait(false);
        if (addresses.Gateway is null || addresses.Subnet is null)
        {
            throw new InvalidOperationException(
                $"The Docker network {name} has no IPv4 gateway or subnet; remove it and Berth will make it anew.");
        }

        return new SandboxNetwork(
            name, addresses.BridgeInterface ?? bridge, IPAddress.Parse(addresses.Gateway),
            IPNetwork.Parse(addresses.Subnet), isConfined);
    }
}
