using Docker.DotNet.Models;

namespace Berth.Runtime.Docker;

/// <summary>Containers in the Docker engine: create, start, kill, remove, find by label.</summary>
internal sealed class DockerContainerOperations(DockerConnection connection)
{
    public async Task<string> CreateAsync(ContainerSpec spec, CancellationToken cancellationToken)
    {
        var parameters = new CreateContainerParameters
        {
            Name = spec.Name,
            Image = spec.Image,
            Entrypoint = spec.Entrypoint.ToList(),
            Env = spec.Env.ToList(),
            WorkingDir = spec.WorkingDir,
            Labels = spec.Labels.ToDictionary(),
        };

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
}
