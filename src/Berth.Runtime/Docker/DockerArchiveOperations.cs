using Docker.DotNet.Models;

namespace Berth.Runtime.Docker;

/// <summary>Files in containers, read as tar archives through the engine's archive endpoint.</summary>
internal sealed class DockerArchiveOperations(DockerConnection connection)
{
    /// <summary>
    /// The path as a tar stream, read as it arrives, or null when the container has no such path.
    /// A missing container is a <see cref="RuntimeOperationException"/> like other refusals.
    /// </summary>
    public async Task<ContainerArchive?> GetAsync(string containerId, string path, CancellationToken cancellationToken)
    {
        var parameters = new GetArchiveFromContainerParameters { Path = path };
        try
        {
            var response = await DockerCalls.RunAsync(connection, "read a file from a container",
                client => client.Containers.GetArchiveFromContainerAsync(
                    containerId, parameters, statOnly: false, cancellationToken),
                cancellationToken).ConfigureAwait(false);
            var stat = response.Stat;

            return new ContainerArchive(
                new ContainerPathStat(stat.Name, stat.Size, ContainerPathStat.KindOf(stat.Mode), stat.LinkTarget ?? ""),
                response.Stream);
        }
        catch (RuntimeOperationException e) when (DockerCalls.IsNotFound(e) && !DockerCalls.IsNoSuchContainer(e))
        {
            return null;
        }
        catch (RuntimeOperationException e) when (e.Message.Contains("too many links", StringComparison.Ordinal))
        {
            // A symlink loop: the engine gives up resolving it, and it leads nowhere.
            return null;
        }
    }
}
