using System.Text.Json.Nodes;

namespace Berth.Bench.Build;

/// <summary>
/// The configuration both sides build: a few apt and npm packages and a small setup script.
/// A comment in the script makes each one unique, so that no build finds a cached image or layer.
/// </summary>
internal sealed record BuildConfiguration(IReadOnlyList<string> Apt, IReadOnlyList<string> Npm, string SetupScript)
{
    public static BuildConfiguration Unique(string runId, string purpose) => new(
        ["jq", "tree"],
        ["is-number@7.0.0"],
        $$"""
        # berth bench build: run {{runId}}, {{purpose}}
        mkdir -p /workspace/demo
        echo '{"ready":true}' | jq -r .ready > /workspace/demo/ready.txt
        tree /workspace > /workspace/demo/tree.txt
        npm ls --global is-number > /dev/null
        """);

    /// <summary>The body of <c>POST /v1/environments</c> for an environment of this configuration.</summary>
    public JsonObject EnvironmentBody(string name) => new()
    {
        ["name"] = name,
        ["config"] = new JsonObject
        {
            ["type"] = "cloud",
            ["packages"] = new JsonObject
            {
                ["apt"] = new JsonArray([.. Apt.Select(spec => JsonValue.Create(spec))]),
                ["npm"] = new JsonArray([.. Npm.Select(spec => JsonValue.Create(spec))]),
            },
            ["setup_script"] = SetupScript,
        },
    };

    public string Describe() =>
        $"apt {string.Join(' ', Apt)}, npm {string.Join(' ', Npm)}, " +
        $"a {SetupScript.Split('\n').Length}-line setup script";
}
