using Docker.DotNet.Models;

namespace Berth.Runtime.Docker;

/// <summary>
/// Containers in the Docker engine: create, start, inspect, update, rename, kill, remove, find by label.
/// </summary>
internal sealed class DockerContainerOperations(DockerConnection connection)
{
    public async Task<string> CreateAsync(ContainerSpec spec, CancellationToken cancellationToken)
    {
        var parameters = ContainerParameters.ForCreate(spec);

        var response = await DockerCalls.RunAsync(connection, "create a container",
            client => client.Containers.CreateContainerAsync(parameters, cancellationToken),
            cancellationToken).ConfigureAwait(false);

        return response.ID;
    }

    public Task StartAsync(string containerId, CancellationToken cancellationToken) =>
        DockerCalls.RunAsync(connection, "start a container",
            client => client.Containers.StartContainerAsync(
                containerId, new ContainerStartParameters(), cancellationToken),
            cancellationToken);

    /// <summary>The container's state and settings, or null when there is no such container.</summary>
    public async Task<ContainerDetails?> InspectAsync(string containerId, CancellationToken cancellationToken)
    {
        try
        {
            var response = await DockerCalls.RunAsync(connection, "inspect a container",
                client => client.Containers.InspectContainerAsync(containerId, cancellationToken),
                cancellationToken).ConfigureAwait(false);

            return ContainerParameters.ToDetails(response);
        }
        catch (RuntimeOperationException e) when (DockerCalls.IsNotFound(e))
        {
            return null;
        }
    }

    /// <summary>Changes the resource limits of a container, running or not.</summary>
    public Task UpdateLimitsAsync(string containerId, ContainerLimits limits, CancellationToken cancellationToken) =>
        DockerCalls.RunAsync(connection, "update a container's limits",
            client => client.Containers.UpdateContainerAsync(
                containerId, ContainerParameters.ForUpdate(limits), cancellationToken),
            cancellationToken);

    /// <summary>Renames a container; the engine answers 409 when another container has the name.</summary>
    public Task RenameAsync(string containerId, string name, CancellationToken cancellationToken) =>
        DockerCalls.RunAsync(connection, "rename a container",
            client => client.Containers.RenameContainerAsync(
                containerId, new ContainerRenameParameters { NewName = name }, cancellationToken),
            cancellationToken);

    /// <summary>
    /// Attaches to the stdin, stdout and stderr of a container created <see cref="ContainerSpec.Attached"/>,
    /// before it starts, so that nothing it writes is missed.
    /// </summary>
    public async Task<ExecAttachment> AttachAsync(string containerId, CancellationToken cancellationToken)
    {
        var parameters = new ContainerAttachParameters { Stream = true, Stdin = true, Stdout = true, Stderr = true };
        var stream = await DockerCalls.RunAsync(connection, "attach to a container",
            client => client.Containers.AttachContainerAsync(containerId, false, parameters, cancellationToken),
            cancellationToken).ConfigureAwait(false);

        return new ExecAttachment(stream, connection.Endpoint);
    }

    /// <summary>Stops a container at once; one that is already stopped or gone is left alone.</summary>
    public async Task KillAsync(string containerId, CancellationToken cancellationToken)
    {
        try
        {
            await DockerCalls.RunAsync(connection, "kill a container",
                client => client.Containers.KillContainerAsync(
                    containerId, new ContainerKillParameters { Signal = "SIGKILL" }, cancellationToken),
                cancellationToken).ConfigureAwait(false);
        }
        catch (RuntimeOperationException e) when (DockerCalls.IsNotFound(e) || DockerCalls.IsConflict(e))
        {
            // Not running any more, which is what was asked for.
        }
    }

    /// <summary>Removes a container, running or not; one that is already gone is left alone.</summary>
    public async Task RemoveAsync(string containerId, CancellationToken cancellationToken)
    {
        try
        {
            await DockerCalls.RunAsync(connection, "remove a container",
                client => client.Containers.RemoveContainerAsync(
                    containerId, new ContainerRemoveParameters { Force = true, RemoveVolumes = true },
                    cancellationToken),
                cancellationToken).ConfigureAwait(false);
        }
        catch (RuntimeOperationException e) when (DockerCalls.IsNotFound(e))
        {
            // Already gone.
        }
        catch (RuntimeOperationException e) when (DockerCalls.IsConflict(e)
            && e.Message.Contains("already in progress", StringComparison.Ordinal))
        {
            // A concurrent terminate or delete of the same session is removing it; that one finishes the job.
        }
    }

    /// <summary>Ids of all containers, running or not, that carry every one of these labels.</summary>
    public async Task<IReadOnlyList<string>> ListIdsAsync(
        IReadOnlyDictionary<string, string> labels, CancellationToken cancellationToken)
    {
        var parameters = new ContainersListParameters { All = true, Filters = LabelFilters.From(labels) };

        var containers = await DockerCalls.RunAsync(connection, "list containers",
            client => client.Containers.ListContainersAsync(parameters, cancellationToken),
            cancellationToken).ConfigureAwait(false);

        return containers.Select(c => c.ID).ToList();
    }

    /// <summary>All containers, running or not, that carry every one of these labels.</summary>
    public async Task<IReadOnlyList<ContainerSummary>> ListAsync(
        IReadOnlyDictionary<string, string> labels, CancellationToken cancellationToken)
    {
        var parameters = new ContainersListParameters { All = true, Filters = LabelFilters.From(labels) };

        var containers = await DockerCalls.RunAsync(connection, "list containers",
            client => client.Containers.ListContainersAsync(parameters, cancellationToken),
            cancellationToken).ConfigureAwait(false);

        return containers.Select(ContainerParameters.ToSummary).ToList();
    }
}
