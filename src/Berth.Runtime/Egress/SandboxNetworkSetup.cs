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

    public async Task<(SandboxNetwork Confined, SandboxNetwork Open)> EnsureAsync(CancellationToken cancellationToken)
    {
        var confined = await EnsureAsync(names.ConfinedNetwork, names.ConfinedBridge, true, cancellationToken)
            .ConfigureAwait(false);
        var open = await EnsureAsync(names.OpenNetwork, names.OpenBridge, false, cancellationToken)
            .ConfigureAwait(false);

        return (confined, open);
    }

    public async Task RemoveAsync(CancellationToken cancellationToken)
    {
        await networks.RemoveAsync(names.ConfinedNetwork, cancellationToken).ConfigureAwait(false);
        await networks.RemoveAsync(names.OpenNetwork, cancellationToken).ConfigureAwait(false);
    }

    private async Task<SandboxNetwork> EnsureAsync(
        string name, string bridge, bool isConfined, CancellationToken cancellationToken)
    {
        if (!await networks.ExistsAsync(name, cancellationToken).ConfigureAwait(false))
        {
            var labels = BerthLabels.For(names.Instance, NetworkKind);
            await networks.CreateAsync(new NetworkSpec(name, bridge, !isConfined, labels), cancellationToken)
                .ConfigureAwait(false);
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
