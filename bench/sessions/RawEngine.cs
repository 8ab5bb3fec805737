using System.Diagnostics;
using Docker.DotNet;
using Docker.DotNet.Models;

namespace Berth.Bench.Sessions;

/// <summary>
/// The baseline: the same work straight through the Docker Engine API, with nothing of Berth's in
/// between: create a container from the session's image, start it, run <c>true</c> in it.
/// </summary>
internal sealed class RawEngine(DockerClient docker, string image, string instance)
{
    public async Task<(TimeSpan Elapsed, string ContainerId)> CreateStartAndExecAsync(CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var created = await docker.Containers.CreateContainerAsync(new CreateContainerParameters
        {
            Image = image,
            Cmd = ["sleep", "infinity"],
            Labels = new Dictionary<string, string> { ["berth.instance"] = instance },
        }, cancellationToken);
        await docker.Containers.StartContainerAsync(created.ID, new ContainerStartParameters(), cancellationToken);
        await ExecTrueAsync(created.ID, cancellationToken);

        return (clock.Elapsed, created.ID);
    }

    /// <summary>One command through the Engine API: create the exec, start it attached, read to the end, read the exit code.</summary>
    public async Task ExecTrueAsync(string containerId, CancellationToken cancellationToken)
    {
        var exec = await docker.Exec.ExecCreateContainerAsync(containerId, new ContainerExecCreateParameters
        {
            Cmd = ["true"],
            AttachStdout = true,
            AttachStderr = true,
        }, cancellationToken);
        using (var stream = await docker.Exec.StartAndAttachContainerExecAsync(exec.ID, false, cancellationToken))
        {
            await stream.ReadOutputToEndAsync(cancellationToken);
        }

        var inspected = await docker.Exec.InspectContainerExecAsync(exec.ID, cancellationToken);
        if (inspected.ExitCode != 0)
        {
            throw new InvalidOperationException($"exec true exited with {inspected.ExitCode} in {containerId}.");
        }
    }

    public Task RemoveAsync(string containerId, CancellationToken cancellationToken) =>
        docker.Containers.RemoveContainerAsync(containerId, new ContainerRemoveParameters { Force = true }, cancellationToken);
}
