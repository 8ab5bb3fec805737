using System.Diagnostics;

namespace Berth.Bench.Sessions;

/// <summary>Removes what one instance left in the engine: containers, then networks, then images.</summary>
internal static class EngineLeftovers
{
    public static async Task RemoveAsync(string instance)
    {
        var label = $"label=berth.instance={instance}";
        await RemoveEachAsync(["ps", "-aq", "--filter", label], ["rm", "-f"]);
        await RemoveEachAsync(["network", "ls", "-q", "--filter", label], ["network", "rm"]);
        await RemoveEachAsync(["images", "-q", "--filter", label], ["rmi", "-f"]);
    }

    private static async Task RemoveEachAsync(string[] list, string[] remove)
    {
        var ids = (await DockerAsync(list)).Split('\n', StringSplitOptions.RemoveEmptyEntries).Distinct().ToArray();
        if (ids.Length > 0)
        {
            await DockerAsync([.. remove, .. ids]);
        }
    }

    private static async Task<string> DockerAsync(string[] arguments)
    {
        using var docker = Process.Start(new ProcessStartInfo("docker", arguments)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        }) ?? throw new InvalidOperationException("docker did not start.");
        var output = await docker.StandardOutput.ReadToEndAsync();
        await docker.StandardError.ReadToEndAsync();
        await docker.WaitForExitAsync();

        return output;
    }
}
