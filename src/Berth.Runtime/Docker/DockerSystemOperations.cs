namespace Berth.Runtime.Docker;

/// <summary>The Docker engine itself: whether it answers, and which version it is.</summary>
internal sealed class DockerSystemOperations(DockerConnection connection)
{
    public async Task<(string ServerVersion, string ApiVersion)> GetVersionAsync(
        CancellationToken cancellationToken)
    {
        var version = await DockerCalls.RunAsync(connection, "read the engine version",
            client => client.System.GetVersionAsync(cancellationToken),
            cancellationToken).ConfigureAwait(false);

        return (version.Version, version.APIVersion);
    }
}
