using Berth.Runtime.BaseImages;
using Berth.Runtime.Docker;

namespace Berth.Runtime.Images;

/// <summary>One step of a build: the command to run in the build container and how to report it.</summary>
internal sealed record PlannedStep(string Name, string Description, ExecCommand Command);

/// <summary>
/// Turns a build request into the commands that run in the build container, in order: apt,
/// pip, npm, then the setup script. Package specs are passed as separate arguments and never
/// pasted into a shell line, so no spec can change what a command does.
/// </summary>
internal static class BuildPlan
{
    public const string WorkingDir = "/workspace";

    private const string AptScript =
        "apt-get update && apt-get install -y --no-install-recommends \"$@\" && rm -rf /var/lib/apt/lists/*";

    // A configured base image may lack Berth's virtual environment; it is made on first use.
    private const string PipScript =
        $"set -e\nif [ ! -x {BaseImageRecipe.VirtualEnvironment}/bin/pip ]; then "
        + $"python3 -m venv {BaseImageRecipe.VirtualEnvironment}; fi\n"
        + $"exec {BaseImageRecipe.VirtualEnvironment}/bin/pip install \"$@\"";

    public static IReadOnlyList<PlannedStep> For(ImageBuildRequest request, RuntimeOptions options)
    {
        var steps = new List<PlannedStep>();
        if (request.Apt.Count > 0)
        {
            steps.Add(Apt(request.Apt));
        }

        if (request.Pip.Count > 0)
        {
            steps.Add(Pip(request.Pip, options.PipIndexUrl));
        }

        if (request.Npm.Count > 0)
        {
            steps.Add(Npm(request.Npm, options.NpmRegistryUrl));
        }

        if (!string.IsNullOrEmpty(request.SetupScript))
        {
            steps.Add(SetupScript(request.SetupScript));
        }

        return steps;
    }

    private static PlannedStep Apt(IReadOnlyList<string> packages) => new(
        BuildSteps.Apt,
        $"apt-get install {string.Join(' ', packages)}",
        new ExecCommand(["bash", "-c", AptScript, "apt", .. Checked(packages)],
            ["DEBIAN_FRONTEND=noninteractive"], "/"));

    private static PlannedStep Pip(IReadOnlyList<string> packages, string indexUrl)
    {
        List<string> arguments =
            ["--no-cache-dir", "--disable-pip-version-check", "--no-input", "--progress-bar", "off",
             "--index-url", indexUrl];
        // pip ignores a plain-HTTP index unless its host is trusted; an operator who set one means it.
        var index = new Uri(indexUrl);
        if (index.Scheme == Uri.UriSchemeHttp)
        {
            arguments.AddRange(["--trusted-host", index.Host]);
        }

        return new PlannedStep(
            BuildSteps.Pip,
            $"pip install {string.Join(' ', packages)}",
            new ExecCommand(["bash", "-c", PipScript, "pip", .. arguments, .. Checked(packages)], [], "/"));
    }

    private static PlannedStep Npm(IReadOnlyList<string> packages, string registryUrl) => new(
        BuildSteps.Npm,
        $"npm install --global {string.Join(' ', packages)}",
        new ExecCommand(
            ["npm", "install", "--global", "--no-audit", "--no-fund", "--no-update-notifier",
             "--registry", registryUrl, .. Checked(packages)],
            [], "/"));

    private static PlannedStep SetupScript(string script) => new(
        BuildSteps.SetupScript,
        "bash -e setup_script",
        new ExecCommand(["bash", "-e", "-c", script, BuildSteps.SetupScript], [], WorkingDir));

    // The API validates specs; a spec that reads as an option here is a broken contract.
    private static IReadOnlyList<string> Checked(IReadOnlyList<string> packages)
    {
        foreach (var spec in packages)
        {
            if (string.IsNullOrWhiteSpace(spec) || spec.StartsWith('-'))
            {
                throw new ArgumentException($"Package spec '{spec}' is empty or starts with '-'.", nameof(packages));
            }
        }

        return packages;
    }
}
