using System.ComponentModel;
using System.Diagnostics;

namespace Berth.Runtime.Egress;

/// <summary>How an iptables program ended: its exit code (null when it could not start) and what it printed.</summary>
internal sealed record FirewallCommandResult(int? ExitCode, string Output)
{
    public bool Succeeded => ExitCode == 0;
}

/// <summary>Runs iptables, ip6tables and their -restore programs, optionally feeding standard input.</summary>
internal static class FirewallProgram
{
    public static async Task<FirewallCommandResult> RunAsync(
        string program, IReadOnlyList<string> arguments, string? input, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = new Process { StartInfo = start };
        try
        {
            process.Start();
        }
        catch (Win32Exception e)
        {
            return new FirewallCommandResult(null, $"{program} could not be started: {e.Message}");
        }

        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var errors = process.StandardError.ReadToEndAsync(cancellationToken);
        if (input is not null)
        {
            await process.StandardInput.WriteAsync(input.AsMemory(), cancellationToken).ConfigureAwait(false);
        }

        process.StandardInput.Close();
        await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);

        var printed = (await output.ConfigureAwait(false) + await errors.ConfigureAwait(false)).Trim();

        return new FirewallCommandResult(process.ExitCode, printed);
    }
}
