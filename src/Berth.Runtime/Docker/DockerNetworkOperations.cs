using Docker.DotNet.Models;

namespace Berth.Runtime.Docker;

/// <summary>
/// A bridge network Berth creates for sandboxes: its bridge interface name on the host, whether
/// the engine masquerades its traffic out, and its labels. Containers on it never talk to each other.
/// </summary>
internal sealed record NetworkSpec(
    string Name, string BridgeName, bool Masquerade, IReadOnlyDictionary<string, string> Labels)
{
    /// <summary>The largest packet on the network's links; null for the engine's default (1500).</summary>
    public int? Mtu { get; init; }
}

/// <summary>A container's addresses on one network.</summary>
internal sealed record ContainerEndpoint(string IPv4Address, string? MacAddress);

/// <summary>Where a Docker network sits: its gateway address and the host's bridge interface.</summary>
/// <remarks>Docker's default bridge reports no gateway; its interface on the host has the address.</remarks>
internal sealed record NetworkAddresses(string? Gateway, string? Subnet, string? BridgeInterface);

/// <summary>Networks in the Docker engine.</summary>
internal sealed class DockerNetworkOperations(DockerConnection connection)
{
    private const string BridgeNameOption = "com.docker.network.bridge.name";
    private const string InterContainerOption = "com.docker.network.bridge.enable_icc";
    private const string MasqueradeOption = "com.docker.network.bridge.enable_ip_masquerade";
    private const string MtuOption = "com.docker.network.driver.mtu";

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

    public async Task<bool> ExistsAsync(string network, CancellationToken cancellationToken)
    {
        try
        {
            await DockerCalls.RunAsync(connection, "inspect a network",
                client => client.Networks.InspectNetworkAsync(network, cancellationToken),
                cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (RuntimeOperationException e) when (DockerCalls.IsNotFound(e))
        {
            return false;
        }
    }

    /// <summary>Creates a bridge network; one of that name that already exists is left as it is.</summary>
    public async Task CreateAsync(NetworkSpec spec, CancellationToken cancellationToken)
    {
        var parameters = new NetworksCreateParameters
        {
            Name = spec.Name,
            Driver = "bridge",
            CheckDuplicate = true,
            Labels = spec.Labels.ToDictionary(),
            Options = new Dictionary<string, string>
            {
                [BridgeNameOption] = spec.BridgeName,
                [InterContainerOption] = "false",
                [MasqueradeOption] = spec.Masquerade ? "true" : "false",
            },
        };
        if (spec.Mtu is { } mtu)
        {
            parameters.Options[MtuOption] = mtu.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        try
        {
            await DockerCalls.RunAsync(connection, "create a network",
                client => client.Networks.CreateNetworkAsync(parameters, cancellationToken),
                cancellationToken).ConfigureAwait(false);
        }
        catch (RuntimeOperationException e) when (DockerCalls.IsConflict(e))
        {
            // Made meanwhile by another caller, which is what was asked for.
        }
    }

    /// <summary>
    /// Removes a network; one that is already gone is left alone. False when the engine keeps it
    /// for an endpoint whose container is gone, which only a restart of the engine clears.
    /// </summary>
    public async Task<bool> RemoveAsync(string network, CancellationToken cancellationToken)
    {
        try
        {
            await DockerCalls.RunAsync(connection, "remove a network",
                client => client.Networks.DeleteNetworkAsync(network, cancellationToken),
                cancellationToken).ConfigureAwait(false);
        }
        catch (RuntimeOperationException e) when (DockerCalls.IsNotFound(e))
        {
            // Already gone.
        }
        catch (RuntimeOperationException e) when (e.Message.Contains("active endpoints", StringComparison.Ordinal))
        {
            // A container removed while the engine was still attaching it can leave its endpoint
            // behind. With containers still attached, the caller must remove them first.
            var details = await DockerCalls.RunAsync(connection, "inspect a network",
                client => client.Networks.InspectNetworkAsync(network, cancellationToken),
                cancellationToken).ConfigureAwait(false);
            if (details.Containers is { Count: > 0 })
            {
                throw;
            }

            return false;
        }

        return true;
    }

    /// <summary>
    /// The addresses of a container (by id, id prefix or name) on a network, or null when it is
    /// not attached to it.
    /// </summary>
    public async Task<ContainerEndpoint?> FindContainerEndpointAsync(
        string network, string container, CancellationToken cancellationToken)
    {
        var response = await DockerCalls.RunAsync(connection, "inspect a network",
            client => client.Networks.InspectNetworkAsync(network, cancellationToken),
            cancellationToken).ConfigureAwait(false);
        var endpoint = response.Containers?
            .Where(c => c.Key.StartsWith(container, StringComparison.Ordinal) || c.Value.Name == container)
            .Select(c => c.Value)
            .FirstOrDefault();
        if (string.IsNullOrEmpty(endpoint?.IPv4Address))
        {
            return null;
        }

        var mac = string.IsNullOrEmpty(endpoint.MacAddress) ? null : endpoint.MacAddress;

        return new ContainerEndpoint(endpoint.IPv4Address.Split('/')[0], mac);
    }
}
