namespace Berth.Runtime.Docker;

/// <summary>Where a Docker network sits: its gateway address and the host's bridge interface.</summary>
/// <remarks>Docker's default bridge reports no gateway; its interface on the host has the address.</remarks>
internal sealed record NetworkAddresses(string? Gateway, string? Subnet, string? BridgeInterface);

/// <summary>Networks in the Docker engine.</summary>
internal sealed class DockerNetworkOperations(DockerConnection connection)
{
    private const string BridgeNameOption = "com.docker.network.bridge.name";

    public async Task<NetworkAddresses> InspectAddressesAsync(string network, CancellationToken cancellationToken)
    {
        var response = await DockerCalls.RunAsync(connection, "inspect a network",
            client => client.Networks.InspectNetworkAsync(network, cancellationToken),
            cancellationToken).ConfigureAwait(false);
        var config = response.IPAM?.Config?.FirstOrDefault();

        return new NetworkAddresses(
            string.IsNullOrEmpty(config?.Gateway) ? null : config.Gateway,
            config?.Subnet,
            response.Options is { } options && options.TryGetValue(BridgeNameOption, out var bridge) ? bridge : null);
    }
}
