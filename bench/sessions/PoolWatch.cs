using Docker.DotNet;
using Docker.DotNet.Models;

namespace Berth.Bench.Sessions;

/// <summary>Counts a server's pooled sandboxes, to start each measured session on a full pool.</summary>
internal sealed class PoolWatch(DockerClient docker, string instance)
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(3);

    public async Task WaitUntilFullAsync(int size, CancellationToken cancellationToken)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (await CountAsync(cancellationToken) < size)
        {
            if (clock.Elapsed > Patience)
            {
                throw new TimeoutException($"The pool did not refill to {size} within {Patience.TotalMinutes} minutes.");
            }

            await Task.Delay(100, cancellationToken);
        }
    }

    private async Task<int> CountAsync(CancellationToken cancellationToken)
    {
        var containers = await docker.Containers.ListContainersAsync(new ContainersListParameters
        {
            Filters = new Dictionary<string, IDictionary<string, bool>>
            {
                ["label"] = new Dictionary<string, bool> { [$"berth.instance={instance}"] = true },
                ["status"] = new Dictionary<string, bool> { ["running"] = true },
            },
        }, cancellationToken);

        return containers.Count(c => c.Names.Any(n => n.Contains(".pool.", StringComparison.Ordinal)));
    }
}
