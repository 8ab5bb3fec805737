using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Berth.Runtime.Docker;
using Berth.Runtime.Egress;
using Berth.Runtime.Images;
using Berth.Runtime.Sandboxes;
using Docker.DotNet.Models;
using NetworkingConfig = Berth.Core.Environments.NetworkingConfig;
using Microsoft.Extensions.DependencyInjection;

namespace Berth.Runtime.Tests.Egress.Support;

/// <summary>
/// A running egress gateway with its own instance name (so its networks, bridges, chains and
/// log group are its own), the base image for sandboxes, and stand-ins for internet hosts on
/// loopback addresses, named through the gateway's hosts map. Everything is removed at the end.
/// </summary>
public sealed class EgressFixture : IAsyncLifetime
{
    public const string AllowedHost = "allowed.test";
    public const string CdnHost = "cdn.allowed.test";
    public const string DeepHost = "a.b.allowed.test";
    public const string DeniedHost = "denied.test";
    public const string UnreachableHost = "unreachable.test";
    public const string UntrustedHost = "untrusted.test";
    public const int NotForwardedPort = 8081;
    public const int ProxyPort = 3128;
    public const int ConnectionLimit = 8;

    private const string TestKind = "egress-test";

    private static readonly TimeSpan SetupTimeout = TimeSpan.FromMinutes(20);

    private ServiceProvider? _services;

    public string InstanceName { get; } = $"egress-{Guid.NewGuid():N}"[..20];

    // The gateway's certificate authority, and the test servers' certificate it trusts upstream.
    private readonly string _directory = Path.Combine(Path.GetTempPath(), $"berth-egress-{Guid.NewGuid():N}");

    internal string CertificateDirectory => Path.Combine(_directory, "ca");

    private string UpstreamCertificatePath => Path.Combine(_directory, "upstream.crt");

    public RecordingDecisionSink Decisions { get; } = new();

    public TestUpstream Allowed { get; private set; } = null!;

    public TestUpstream Denied { get; private set; } = null!;

    /// <summary>A server reached only by its address: this machine's address on Docker's default bridge.</summary>
    public TestUpstream ByAddress { get; private set; } = null!;

    /// <summary>A TLS server at <see cref="UntrustedHost"/> whose certificate no one vouches for.</summary>
    public TestUpstream Untrusted { get; private set; } = null!;

    public IPAddress HostAddress { get; private set; } = IPAddress.None;

    /// <summary>The address <see cref="UnreachableHost"/> names, where nothing listens.</summary>
    public IPAddress UnreachableAddress { get; private set; } = IPAddress.None;

    public IPAddress UntrustedAddress { get; private set; } = IPAddress.None;

    public int ByAddressPort { get; private set; }

    public string BaseImage { get; private set; } = "";

    public EgressGateway Gateway => Services.GetRequiredService<EgressGateway>();

    internal DockerConnection Docker => Services.GetRequiredService<DockerConnection>();

    internal DockerExecOperations Exec => Services.GetRequiredService<DockerExecOperations>();

    internal InstanceNames Names => new(InstanceName);

    private ServiceProvider Services =>
        _services ?? throw new InvalidOperationException("The egress fixture has not started.");

    public async Task InitializeAsync()
    {
        using var setup = new CancellationTokenSource(SetupTimeout);
        HostAddress = await FindHostBridgeAddressAsync(setup.Token);
        var loopback = RandomLoopbackPrefix();
        using var certificate = CreateCertificate();
        var pfx = certificate.Export(X509ContentType.Pfx);
        Directory.CreateDirectory(_directory);
        await File.WriteAllTextAsync(UpstreamCertificatePath, certificate.ExportCertificatePem(), setup.Token);
        Allowed = new TestUpstream(AllowedHost, X509CertificateLoader.LoadPkcs12(pfx, null));
        Denied = new TestUpstream(DeniedHost, X509CertificateLoader.LoadPkcs12(pfx, null));
        ByAddress = new TestUpstream("by-address", X509CertificateLoader.LoadPkcs12(pfx, null));
        using (var untrusted = CreateCertificate())
        {
            Untrusted = new TestUpstream(UntrustedHost, X509CertificateLoader.LoadPkcs12(untrusted.Export(X509ContentType.Pfx), null));
        }

        var allowedAddress = IPAddress.Parse(loopback + "1");
        var deniedAddress = IPAddress.Parse(loopback + "2");
        UnreachableAddress = IPAddress.Parse(loopback + "3");
        UntrustedAddress = IPAddress.Parse(loopback + "4");
        Untrusted.ListenTls(UntrustedAddress, 443);
        foreach (var (upstream, address) in new[] { (Allowed, allowedAddress), (Denied, deniedAddress) })
        {
            upstream.ListenHttp(address, 80);
            upstream.ListenTls(address, 443);
            upstream.ListenHttp(address, NotForwardedPort);
        }

        ByAddressPort = ByAddress.ListenHttp(HostAddress, 0);
        _services = CreateServices(allowedAddress, deniedAddress);

        var image = await Services.GetRequiredService<EnvironmentImageBuilder>()
            .EnsureBaseImageAsync(BuildLog.Discard, setup.Token);
        BaseImage = image is ImageBuilt built
            ? built.Image
            : throw new InvalidOperationException($"The base image could not be made or found: {image}");
    }

    public async Task DisposeAsync()
    {
        if (_services is not null)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
            await RemoveSandboxesAsync(timeout.Token);
            await Gateway.RemoveNetworksAsync(timeout.Token);
            await _services.DisposeAsync();
        }

        foreach (var upstream in new[] { Allowed, Denied, ByAddress, Untrusted })
        {
            if (upstream is not null)
            {
                await upstream.DisposeAsync();
            }
        }

        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    /// <summary>Starts a sandbox on the network for <paramref name="networking"/>, registered as a new session.</summary>
    internal async Task<TestSandbox> StartSandboxAsync(
        NetworkingConfig networking, CancellationToken cancellationToken, bool withIpv6 = false)
    {
        var network = await Gateway.EnsureNetworkAsync(networking, cancellationToken) as EgressNetworkReady
            ?? throw new InvalidOperationException("The egress gateway could not start.");
        // Trusting the gateway's authority as a Berth sandbox does, when the gateway answers its TLS.
        var trusted = network.TrustedCertificate;
        var parameters = new CreateContainerParameters
        {
            Image = BaseImage,
            Entrypoint = trusted is null ? ["sleep", "infinity"] : [.. SandboxTrust.InstallingFirst(["sleep", "infinity"])],
            Env = trusted is null ? null : [.. SandboxTrust.Environment],
            Labels = new Dictionary<string, string> { ["berth.instance"] = InstanceName, ["berth.kind"] = TestKind },
            HostConfig = new HostConfig
            {
                Binds = trusted is null ? null : [$"{trusted}:{SandboxTrust.CertificatePath}:ro"],
                NetworkMode = network.NetworkName,
                DNS = network.DnsServers.ToList(),
                Sysctls = withIpv6
                    ? new Dictionary<string, string> { ["net.ipv6.conf.all.disable_ipv6"] = "0" }
                    : null,
            },
        };
        var created = await Docker.Client.Containers.CreateContainerAsync(parameters, cancellationToken);
        await Docker.Client.Containers.StartContainerAsync(
            created.ID, new ContainerStartParameters(), cancellationToken);

        var sessionId = $"sesn_{Guid.NewGuid():N}";
        if (!await Gateway.RegisterAsync(sessionId, created.ID, networking, cancellationToken))
        {
            throw new InvalidOperationException($"Container {created.ID} is not on {network.NetworkName}.");
        }

        return new TestSandbox(this, sessionId, created.ID, IPAddress.Parse(network.DnsServers[0]));
    }

    private ServiceProvider CreateServices(IPAddress allowedAddress, IPAddress deniedAddress)
    {
        var services = new ServiceCollection();
        services.AddSingleton<IEgressDecisionSink>(Decisions);
        services.AddBerthRuntime(o => o.InstanceName = InstanceName);
        services.Configure<EgressOptions>(o =>
        {
            o.HostsMap[AllowedHost] = allowedAddress.ToString();
            o.HostsMap[CdnHost] = allowedAddress.ToString();
            o.HostsMap[DeepHost] = allowedAddress.ToString();
            o.HostsMap[DeniedHost] = deniedAddress.ToString();
            o.HostsMap[UnreachableHost] = UnreachableAddress.ToString();
            o.HostsMap[UntrustedHost] = UntrustedAddress.ToString();
            o.ForwardedPorts = [80, 443, ByAddressPort];
            o.ProxyPort = ProxyPort;
            o.MaxConnectionsPerSandbox = ConnectionLimit;
            o.CertificateDirectory = CertificateDirectory;
            o.TrustedUpstreamCertificates = [UpstreamCertificatePath];
        });

        return services.BuildServiceProvider();
    }

    private async Task RemoveSandboxesAsync(CancellationToken cancellationToken)
    {
        var filters = new Dictionary<string, IDictionary<string, bool>>
        {
            ["label"] = new Dictionary<string, bool> { [$"berth.instance={InstanceName}"] = true },
        };
        var containers = await Docker.Client.Containers.ListContainersAsync(
            new ContainersListParameters { All = true, Filters = filters }, cancellationToken);
        foreach (var container in containers)
        {
            await Docker.Client.Containers.RemoveContainerAsync(
                container.ID, new ContainerRemoveParameters { Force = true }, cancellationToken);
        }
    }

    // Each run gets loopback addresses of its own, so its servers can take ports 80 and 443.
    private static string RandomLoopbackPrefix() =>
        $"127.{RandomNumberGenerator.GetInt32(10, 250)}.{RandomNumberGenerator.GetInt32(10, 250)}.";

    private static X509Certificate2 CreateCertificate()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={AllowedHost}", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        foreach (var name in new[] { AllowedHost, CdnHost, DeepHost, DeniedHost, UntrustedHost })
        {
            names.AddDnsName(name);
        }

        request.CertificateExtensions.Add(names.Build());

        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
    }

    // This machine's own address on Docker's default bridge: a host address that sandboxes could
    // route to, were the gateway not in the way.
    private static async Task<IPAddress> FindHostBridgeAddressAsync(CancellationToken cancellationToken)
    {
        using var services = new ServiceCollection().AddBerthRuntime().BuildServiceProvider();
        var availability = await services.GetRequiredService<RuntimeProbe>().PingAsync(cancellationToken);
        if (!availability.IsAvailable)
        {
            throw new InvalidOperationException(
                $"These tests need a Docker engine and none answered: {availability.Problem} "
                + "Run scripts/ensure-docker.sh as root, then run the tests again.");
        }

        var bridge = await services.GetRequiredService<DockerNetworkOperations>()
            .InspectAddressesAsync("bridge", cancellationToken);
        var address = bridge.Gateway ?? NetworkInterface.GetAllNetworkInterfaces()
            .Where(n => n.Name == bridge.BridgeInterface)
            .SelectMany(n => n.GetIPProperties().UnicastAddresses)
            .Where(a => a.Address.AddressFamily == AddressFamily.InterNetwork)
            .Select(a => a.Address.ToString())
            .FirstOrDefault();

        return address is not null
            ? IPAddress.Parse(address)
            : throw new InvalidOperationException("Docker's default bridge has no IPv4 address on this machine.");
    }
}

[CollectionDefinition(Name)]
public sealed class EgressTestGroup : ICollectionFixture<EgressFixture>
{
    public const string Name = "Egress";
}
