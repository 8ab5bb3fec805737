using System.Net;
using System.Net.Sockets;
using Berth.Core.Environments;
using Berth.Runtime.Docker;
using Microsoft.Extensions.Logging;

namespace Berth.Runtime.Egress;

/// <summary>
/// The egress gateway: puts sandboxes on networks whose only ways out it controls, applies each
/// registered session's networking policy to their traffic, and records every decision.
/// </summary>
/// <remarks>
/// Disposing stops the listeners but leaves the firewall rules in place, so that sandboxes that
/// outlive the process stay confined (their connections are refused); <see cref="RemoveNetworksAsync"/>
/// removes everything.
/// </remarks>
public sealed class EgressGateway : IAsyncDisposable
{
    private readonly DockerNetworkOperations _networks;
    private readonly SandboxNetworkSetup _setup;
    private readonly EgressFirewall _firewall;
    private readonly EgressOptions _options;
    private readonly InstanceNames _names;
    private readonly ServiceHosts _serviceHosts;
    private readonly SandboxRegistry _registry = new();
    private readonly DecisionRecorder _decisions;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private GatewayState? _state;
    private GatewayCertificates? _certificates;

    internal EgressGateway(
        DockerNetworkOperations networks, RuntimeOptions runtime, EgressOptions options,
        IEgressDecisionSink sink, ILogger<EgressGateway> logger)
    {
        _networks = networks;
        _options = options;
        _logger = logger;
        _names = new InstanceNames(runtime.InstanceName);
        _setup = new SandboxNetworkSetup(networks, _names);
        _firewall = new EgressFirewall(options, logger);
        _serviceHosts = new ServiceHosts(PackageRegistryHosts.From(options, runtime), options.McpServerHosts);
        _decisions = new DecisionRecorder(sink, TimeProvider.System, logger);
    }

    /// <summary>
    /// Makes sure the sandbox networks, their firewall rules and the gateway's listeners are in
    /// place, and says which network and DNS server a sandbox with <paramref name="networking"/> gets.
    /// </summary>
    public async Task<EgressNetworkResult> EnsureNetworkAsync(
        NetworkingConfig networking, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(networking);

        var state = _state;
        if (state is null)
        {
            var started = await StartOnceAsync(cancellationToken).ConfigureAwait(false);
            if (started is EgressUnavailable unavailable)
            {
                return unavailable;
            }

            state = _state!;
        }

        var network = state.NetworkFor(networking);

        return new EgressNetworkReady(
            network.Name, [network.Gateway.ToString()], $"http://{network.Gateway}:{_options.ProxyPort}")
        {
            TrustedCertificate = network == state.Confined ? _certificates?.CertificatePath : null,
        };
    }

    /// <summary>
    /// Applies <paramref name="networking"/> to the traffic from <paramref name="sandboxAddress"/>,
    /// the sandbox's IPv4 address on the network <see cref="EnsureNetworkAsync"/> named for that policy.
    /// </summary>
    /// <exception cref="ArgumentException">The address is not on that network.</exception>
    /// <exception cref="InvalidOperationException"><see cref="EnsureNetworkAsync"/> has not succeeded yet.</exception>
    public void Register(string sessionId, IPAddress sandboxAddress, NetworkingConfig networking) =>
        RegisterAddresses(sessionId, sandboxAddress, null, networking);

    /// <summary>
    /// Like <see cref="Register(string, IPAddress, NetworkingConfig)"/>, finding the addresses of
    /// <paramref name="containerId"/> on its network; false when the container is not attached to
    /// the network for that policy.
    /// </summary>
    public async Task<bool> RegisterAsync(
        string sessionId, string containerId, NetworkingConfig networking, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(networking);

        var network = RequireState().NetworkFor(networking);
        var endpoint = await _networks.FindContainerEndpointAsync(network.Name, containerId, cancellationToken)
            .ConfigureAwait(false);
        if (endpoint is null)
        {
            return false;
        }

        RegisterAddresses(sessionId, IPAddress.Parse(endpoint.IPv4Address), endpoint.MacAddress, networking);

        return true;
    }

    /// <summary>Stops applying any policy to the session's sandbox, whose traffic is refused from now on.</summary>
    public bool Unregister(string sessionId)
    {
        ArgumentException.ThrowIfNullOrEmpty(sessionId);

        var removed = _registry.Remove(sessionId);
        if (removed)
        {
            _logger.SessionUnregistered(sessionId);
        }

        return removed;
    }

    /// <summary>
    /// Stops the gateway and removes its firewall rules and its Docker networks, which must have
    /// no containers left. For tests and for taking Berth off a machine.
    /// </summary>
    public async Task RemoveNetworksAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var state = _state;
            _state = null;
            if (state is not null)
            {
                await state.Listeners.DisposeAsync().ConfigureAwait(false);
                await _firewall.RemoveAsync(state.Rules, cancellationToken).ConfigureAwait(false);
            }

            foreach (var kept in await _setup.RemoveAsync(cancellationToken).ConfigureAwait(false))
            {
                _logger.NetworkKept(kept);
            }

            _logger.TornDown();
        }
        finally
        {
            _gate.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _gate.WaitAsync().ConfigureAwait(false);
        try
        {
            if (_state is not null)
            {
                await _state.Listeners.DisposeAsync().ConfigureAwait(false);
                _state = null;
            }

            _certificates?.Dispose();
        }
        finally
        {
            _gate.Release();
            _gate.Dispose();
        }
    }

    private void RegisterAddresses(string sessionId, IPAddress address, string? macAddress, NetworkingConfig networking)
    {
        ArgumentException.ThrowIfNullOrEmpty(sessionId);
        ArgumentNullException.ThrowIfNull(address);
        ArgumentNullException.ThrowIfNull(networking);

        var network = RequireState().NetworkFor(networking);
        if (address.AddressFamily != AddressFamily.InterNetwork || !network.Subnet.Contains(address))
        {
            throw new ArgumentException(
                $"{address} is not on {network.Name} ({network.Subnet}), the network for this policy; "
                + "start the sandbox on the network that EnsureNetworkAsync returned.", nameof(address));
        }

        List<IPAddress> addresses = [address];
        if (LinkLocalAddresses.FromMac(macAddress) is { } linkLocal)
        {
            addresses.Add(linkLocal);
        }

        var decisions = new TokenBucket(_options.MaxDecisionsPerSecond, _options.MaxDecisionsPerSecond * 20.0);
        var lookups = new TokenBucket(_options.MaxLookupsPerSecond, _options.MaxLookupsPerSecond * 10.0);
        _registry.Add(
            new SandboxSession(sessionId, new EgressPolicy(networking, _serviceHosts), decisions, lookups),
            addresses);
        _logger.SessionRegistered(sessionId, address.ToString());
    }

    private GatewayState RequireState() =>
        _state ?? throw new InvalidOperationException(
            "The egress gateway has not started; call EnsureNetworkAsync before registering sandboxes.");

    private async Task<EgressNetworkResult?> StartOnceAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_state is not null)
            {
                return null;
            }

            if (_options.InspectTls && _certificates is null)
            {
                try
                {
                    _certificates = GatewayCertificates.LoadOrCreate(
                        _options.CertificateDirectory!, _names.Instance, TimeProvider.System);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException
                    or System.Security.Cryptography.CryptographicException)
                {
                    var reason = $"its certificate authority in {_options.CertificateDirectory} "
                        + $"could not be made or read: {e.Message}";
                    _logger.GatewayUnavailable(reason);
                    return new EgressUnavailable(reason);
                }
            }

            var (state, problem) = await GatewayState.StartAsync(
                new GatewayStart(_setup, _firewall, _options, _names, _registry, _decisions, _logger)
                {
                    Certificates = _certificates,
                },
                cancellationToken).ConfigureAwait(false);
            if (state is null)
            {
                _logger.GatewayUnavailable(problem!);
                return new EgressUnavailable(problem!);
            }

            _state = state;

            return null;
        }
        finally
        {
            _gate.Release();
        }
    }
}
