using System.Text.Encodings.Web;
using System.Text.Json;

namespace Berth.Bench.Build;

/// <summary>
/// The Dockerfile someone would write by hand for a configuration, doing what a Berth build
/// does: the same base image, commands, arguments, environment and working directories.
/// </summary>
/// <remarks>
/// It follows src/Berth.Runtime/Images/BuildPlan.cs and ImageBuildRun.cs: apt and npm run in
/// <c>/</c> with the base image's environment (apt with <c>DEBIAN_FRONTEND=noninteractive</c>),
/// the setup script runs with <c>bash -e</c> in <c>/workspace</c>, and the image keeps the
/// base PATH with the virtual environment first. A change there needs the same change here, or
/// the two sides stop doing the same work. Each step is its own RUN, as a hand-written file has it.
/// </remarks>
internal static class EquivalentDockerfile
{
    public const string WorkingDir = "/workspace";

    private const string VirtualEnvironmentBin = "/opt/berth/venv/bin";

    private const string AptScript =
        "apt-get update && apt-get install -y --no-install-recommends \"$@\" && rm -rf /var/lib/apt/lists/*";

    private static readonly JsonSerializerOptions ExecForm = new()
    {
        // Exec-form RUN lines are JSON; relaxed escaping keeps quotes and '>' readable in the file.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>
    /// The Dockerfile's text, and for each of its instructions in order the Berth step it does
    /// (<c>apt</c>, <c>npm</c>, <c>setup_script</c>), or null for one that only sets up the image.
    /// </summary>
    public static (string Text, IReadOnlyList<string?> Steps) For(
        BuildConfiguration config, string baseImage, string basePath, string npmRegistryUrl)
    {
        var instructions = new List<(string Line, string? Step)>
        {
            ($"FROM {baseImage}", null),
            ($"ENV PATH={VirtualEnvironmentFirst(basePath)}", null),
        };
        if (config.Apt.Count > 0)
        {
            instructions.Add((Run(["env", "DEBIAN_FRONTEND=noninteractive", "bash", "-c", AptScript, "apt",
                .. config.Apt]), "apt"));
        }

        if (config.Npm.Count > 0)
        {
            instructions.Add((Run(["npm", "install", "--global", "--no-audit", "--no-fund", "--no-update-notifier",
                "--registry", npmRegistryUrl, .. config.Npm]), "npm"));
        }

        instructions.Add(($"WORKDIR {WorkingDir}", null));
        if (!string.IsNullOrEmpty(config.SetupScript))
        {
            instructions.Add((Run(["bash", "-e", "-c", config.SetupScript, "setup_script"]), "setup_script"));
        }

        var text = string.Join('\n', instructions.Select(instruction => instruction.Line)) + "\n";

        return (text, [.. instructions.Select(instruction => instruction.Step)]);
    }

    private static string Run(string[] arguments) => "RUN " + JsonSerializer.Serialize(arguments, ExecForm);

    private static string VirtualEnvironmentFirst(string basePath)
    {
        var entries = basePath.Split(':', StringSplitOptions.RemoveEmptyEntries).ToList();
        entries.Remove(VirtualEnvironmentBin);
        entries.Insert(0, VirtualEnvironmentBin);

        return string.Join(':', entries);
    }
}
