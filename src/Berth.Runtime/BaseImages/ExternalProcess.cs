using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;

namespace Berth.Runtime.BaseImages;

/// <summary>The exit code of a program, or why it could not be started.</summary>
internal sealed record ProcessOutcome(int? ExitCode, string? StartProblem);

/// <summary>Runs a program, passing each line it prints on stdout or stderr to a callback.</summary>
internal static class ExternalProcess
{
    private static readonly TimeSpan StopGracePeriod = TimeSpan.FromSeconds(30);

    public static async Task<ProcessOutcome> RunAsync(
        string program, IReadOnlyList<string> arguments, Action<string> onOutputLine,
        CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = new Process { StartInfo = start };
        // The two pipes are read on different threads; the log wants one line at a time.
        var gate = new Lock();
        process.OutputDataReceived += (_, e) => Forward(e.Data);
        process.ErrorDataReceived += (_, e) => Forward(e.Data);
        try
        {
            process.Start();
        }
        catch (Win32Exception e)
        {
            return new ProcessOutcome(null, $"{program} could not be started: {e.Message}");
        }

        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        await WaitAsync(process, cancellationToken).ConfigureAwait(false);

        return new ProcessOutcome(process.ExitCode, null);

        void Forward(string? line)
        {
            if (line is null)
            {
                return;
            }

            lock (gate)
            {
                onOutputLine(line);
            }
        }
    }

    private static async Task WaitAsync(Process process, CancellationToken cancellationToken)
    {
        try
        {
            await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            await StopAsync(process).ConfigureAwait(false);
            throw;
        }
    }

    // SIGTERM first: mmdebstrap then unmounts what it mounted in its chroot and removes it,
    // which a SIGKILL would leave behind. .NET has no SIGTERM of its own, so kill(1) sends it.
    private static async Task StopAsync(Process process)
    {
        using (var term = Process.Start("kill", ["-TERM", process.Id.ToString(CultureInfo.InvariantCulture)]))
        {
            await term.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
        }

        using var grace = new CancellationTokenSource(StopGracePeriod);
        try
        {
            await process.WaitForExitAsync(grace.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
        }
    }
}
