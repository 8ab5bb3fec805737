using Docker.DotNet;
using Microsoft.Extensions.Options;

namespace Berth.Runtime.Docker;

/// <summary>
/// The one Docker client of this process. Only the operations classes in this folder use it,
/// so everything above them reads without knowing the Docker API.
/// </summary>
internal sealed class DockerConnection : IDisposable
{
    // Commits of large layers and imports of base images can take minutes; the caller's
    // cancellation token, not this client-wide timeout, is what bounds them.
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromMinutes(30);

    private readonly DockerClientConfiguration _configuration;

    public DockerConnection(IOptions<RuntimeOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);

        Endpoint = options.Value.DockerEndpoint;
        _configuration = new DockerClientConfiguration(new Uri(Endpoint), defaultTimeout: RequestTimeout);
        Client = _configuration.CreateClient();
    }

    public string Endpoint { get; }

    public DockerClient Client { get; }

    public void Dispose()
    {
        Client.Dispose();
        _configuration.Dispose();
    }
}
