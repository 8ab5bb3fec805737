namespace Berth.Api.Tests.Fixtures;

/// <summary>The API host with the machine's real Docker engine, for builds and sessions.</summary>
public class DockerApiServer : ApiServer
{
    public string InstanceName { get; } = "test-" + Guid.NewGuid().ToString("N")[..12];

    protected override async Task CleanUpAsync()
    {
        // No refill may start a sandbox after the sweep below.
        await this.Get<Runtime.Sandboxes.SandboxPool>().DisposeAsync();

        // Sandboxes outlive their server by design (a restart takes them over); these belong to no one.
        // A pool refill still under way can start one more after the first sweep, hence the retries.
        for (var attempt = 1; ; attempt++)
        {
            await RemoveSandboxesAsync();
            try
            {
                // The sandbox networks and their firewall rules are this instance's alone too.
                await this.Get<Runtime.Egress.EgressGateway>().RemoveNetworksAsync(CancellationToken.None);
                break;
            }
            catch (Exception) when (attempt < 5)
            {
                await Task.Delay(TimeSpan.FromSeconds(1));
            }
        }

        var catalog = this.Get<Runtime.Images.EnvironmentImageCatalog>();
        foreach (var image in (await catalog.ListAsync(CancellationToken.None)).Images)
        {
            await catalog.RemoveAsync(image.ConfigHash, CancellationToken.None);
        }
    }

    private async Task RemoveSandboxesAsync()
    {
        var sandboxes = this.Get<Runtime.Sandboxes.SandboxRuntime>();
        foreach (var sandbox in await sandboxes.ListAsync(CancellationToken.None) ?? [])
        {
            await sandboxes.RemoveAsync(sandbox.ContainerId, CancellationToken.None);
        }
    }

    protected override IEnumerable<string> RuntimeSettings(string dataDirectory) =>
        [
            // An instance of its own, so that this server neither sees nor collects the images
            // of other servers on the same engine, and can remove all of its own at the end.
            $"--Runtime:InstanceName={InstanceName}",
            "--Builds:RuntimeRetryInterval=00:00:00.500",

            // Tests run the collector themselves, with no grace period, so they can watch it.
            "--Builds:UnusedImageGracePeriod=00:00:00",
            "--Builds:ImageCollectionInterval=01:00:00",
        ];
}
