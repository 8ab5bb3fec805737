using System.Diagnostics;

namespace Berth.Cli.Tests.Fixtures;

/// <summary>What one run of the berth command did.</summary>
public sealed record CommandResult(int ExitCode, string Stdout, string Stderr)
{
    public override string ToString() => $"exit {ExitCode}\nstdout: {Stdout}\nstderr: {Stderr}";
}

/// <summary>
/// Runs the real berth command as a user would, in a folder and with a config directory of its
/// own, so that neither a developer's login nor a server's admin token next to it leaks in.
/// </summary>
public sealed class CommandLine : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(10);

    private readonly string _home = Path.Combine(Path.GetTempPath(), "berth-cli-home-" + Guid.NewGuid().ToString("N"));

    public CommandLine() => Directory.CreateDirectory(_home);

    /// <summary>Variables every run gets, such as <c>BERTH_URL</c> and <c>BERTH_TOKEN</c>.</summary>
    public Dictionary<string, string> Variables { get; } = [];

    public string ConfigFile => Path.Combine(_home, "config", "berth", "config.json");

    public string WorkingDirectory => _home;

    public async Task<CommandResult> RunAsync(params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            WorkingDirectory = _home,
        };
        start.ArgumentList.Add(ServerProcess.BerthDll);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["HOME"] = _home;
        start.Environment["XDG_CONFIG_HOME"] = Path.Combine(_home, "config");
        start.Environment.Remove("BERTH_URL");
        start.Environment.Remove("BERTH_TOKEN");
        foreach (var (name, value) in Variables)
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start.");
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(Timeout);
        await process.WaitForExitAsync(timeout.Token);

        return new CommandResult(process.ExitCode, await stdout, await stderr);
    }

    public void Dispose() => Directory.Delete(_home, recursive: true);
}
