using System.Diagnostics;

namespace Berth.Bench.Api;

/// <summary>A server the bench started: its process, its log file, and the CPU time it has used.</summary>
/// <remarks>
/// Output goes to a file through <c>sh -c 'exec ...'</c> rather than to a pipe that the bench
/// drains: reading a chatty server's log would put that work on the client's side of the
/// measurement. <c>exec</c> (by the shell, then by env) keeps the process id, so the id below
/// is the server's own.
/// </remarks>
internal sealed class ChildProcess : IDisposable
{
    private const string RedirectScript = "log=$1; shift; exec \"$@\" >\"$log\" 2>&1";

    private readonly Process _process;

    private ChildProcess(string name, int port, Process process, string logPath)
    {
        Name = name;
        Port = port;
        _process = process;
        LogPath = logPath;
    }

    public string Name { get; }

    /// <summary>The loopback port the server listens on.</summary>
    public int Port { get; }

    public string LogPath { get; }

    public bool HasExited => _process.HasExited;

    /// <summary>User and system CPU time the process has used so far.</summary>
    public TimeSpan CpuTime
    {
        get
        {
            _process.Refresh();
            return _process.TotalProcessorTime;
        }
    }

    public static ChildProcess Start(
        string name,
        int port,
        IEnumerable<string> command,
        string logPath,
        IReadOnlyDictionary<string, string> environment)
    {
        // The variables go through env(1), not through the shell's environment: dash drops
        // names it cannot hold, such as Logging__LogLevel__Microsoft.AspNetCore.
        var variables = environment.Select(pair => $"{pair.Key}={pair.Value}");
        var start = new ProcessStartInfo("/bin/sh") { UseShellExecute = false };
        foreach (var argument in (string[])["-c", RedirectScript, "sh", logPath, "env", .. variables, .. command])
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start)
            ?? throw new BenchFailedException($"Could not start the {name} process.");

        return new ChildProcess(name, port, process, logPath);
    }

    /// <summary>The last lines of the log, for a message about why the server failed.</summary>
    public string LogTail(int lines)
    {
        if (!File.Exists(LogPath))
        {
            return "(no log)";
        }

        var all = File.ReadAllLines(LogPath);

        return string.Join('\n', all.Skip(Math.Max(0, all.Length - lines)));
    }

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(TimeSpan.FromSeconds(10));
            }
        }
        catch (InvalidOperationException)
        {
            // It exited between the check and the kill: nothing is left to stop.
        }

        _process.Dispose();
    }
}
