using System.Diagnostics;

namespace Berth.Bench.Build;

/// <summary>The exit code and output (stdout and stderr, merged) of one docker command.</summary>
internal sealed record CommandResult(int ExitCode, string Output)
{
    public bool Succeeded => ExitCode == 0;

    public string Tail(int lines)
    {
        var all = Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);

        return string.Join('\n', all.Skip(Math.Max(0, all.Length - lines)));
    }
}

/// <summary>
/// Runs the docker CLI. The baseline is what a person gets from <c>docker build</c>, so the
/// bench measures the CLI itself rather than calling the Engine API the way Berth does.
/// </summary>
internal static class DockerCli
{
    public static async Task<CommandResult> RunAsync(
        IReadOnlyList<string> arguments, CancellationToken cancellationToken,
        string? workingDirectory = null, Action<string>? onLine = null)
    {
        var start = new ProcessStartInfo("docker")
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)
            ?? throw new BenchFailedException("Could not start the docker CLI; is it installed?");
        using var stop = cancellationToken.Register(() => Kill(process));
        var output = new List<string>();
        await Task.WhenAll(
            PumpAsync(process.StandardOutput, output, onLine),
            PumpAsync(process.StandardError, output, onLine));
        await process.WaitForExitAsync(CancellationToken.None);
        cancellationToken.ThrowIfCancellationRequested();

        lock (output)
        {
            return new CommandResult(process.ExitCode, string.Join('\n', output));
        }
    }

    /// <summary>One field of <c>docker image inspect</c>, or null when there is no such image.</summary>
    public static async Task<string?> InspectImageAsync(
        string reference, string format, CancellationToken cancellationToken)
    {
        var result = await RunAsync(["image", "inspect", "--format", format, reference], cancellationToken);

        return result.Succeeded ? result.Output.Trim() : null;
    }

    /// <summary>Removes images, each on its own so that one in use does not keep the others.</summary>
    /// <returns>How many went.</returns>
    public static async Task<int> RemoveImagesAsync(
        IEnumerable<string> references, CancellationToken cancellationToken)
    {
        var removed = 0;
        foreach (var reference in references.Distinct(StringComparer.Ordinal))
        {
            var result = await RunAsync(["image", "rm", reference], cancellationToken);
            removed += result.Succeeded ? 1 : 0;
        }

        return removed;
    }

    /// <summary>Ids from a listing command such as <c>docker images -q --filter ...</c>.</summary>
    public static async Task<IReadOnlyList<string>> ListIdsAsync(
        IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        var result = await RunAsync(arguments, cancellationToken);
        if (!result.Succeeded)
        {
            throw new BenchFailedException($"docker {string.Join(' ', arguments)} failed:\n{result.Tail(10)}");
        }

        return result.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
    }

    private static async Task PumpAsync(StreamReader reader, List<string> output, Action<string>? onLine)
    {
        while (await reader.ReadLineAsync() is { } line)
        {
            lock (output)
            {
                output.Add(line);
                onLine?.Invoke(line);
            }
        }
    }

    private static void Kill(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // It exited on its own in the meantime.
        }
    }
}
