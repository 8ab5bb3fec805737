using System.CommandLine;

namespace Berth.Bench.Build;

/// <summary>The bench's options, and the action that runs it.</summary>
internal static class BenchCommand
{
    private static readonly Option<string> BerthDll = new("--berth")
    {
        Description = "Path of berth.dll from a Release build.",
        Required = true,
    };

    private static readonly Option<int> Rounds = new("--rounds")
    {
        Description = "Cold builds on each side, each of a configuration no build has seen.",
        DefaultValueFactory = _ => 5,
    };

    private static readonly Option<int> CacheHitTries = new("--cache-hit-tries")
    {
        Description = "Environments created with an already built configuration; the p50 is judged.",
        DefaultValueFactory = _ => 20,
    };

    private static readonly Option<string> NpmRegistry = new("--npm-registry")
    {
        Description = "npm registry for both sides (Berth's Runtime:NpmRegistryUrl and the Dockerfile).",
        DefaultValueFactory = _ => "https://registry.npmjs.org/",
    };

    private static readonly Option<double> BuildTimeout = new("--build-timeout")
    {
        Description = "Seconds one cold build may take on either side before the bench gives up.",
        DefaultValueFactory = _ => 600,
    };

    private static readonly Option<string[]> ServerEnvironment = new("--server-env")
    {
        Description = "KEY=VALUE set for berth serve, to compare configurations. Repeatable.",
        DefaultValueFactory = _ => [],
    };

    public static void Configure(RootCommand root)
    {
        Option[] options = [BerthDll, Rounds, CacheHitTries, NpmRegistry, BuildTimeout, ServerEnvironment];
        foreach (var option in options)
        {
            root.Options.Add(option);
        }

        root.SetAction((parse, cancellationToken) =>
        {
            var settings = new BenchSettings(
                Path.GetFullPath(parse.GetValue(BerthDll)!),
                AtLeastOne(parse.GetValue(Rounds), "--rounds"),
                AtLeastOne(parse.GetValue(CacheHitTries), "--cache-hit-tries"),
                parse.GetValue(NpmRegistry)!,
                TimeSpan.FromSeconds(parse.GetValue(BuildTimeout)),
                ParseEnvironment(parse.GetValue(ServerEnvironment) ?? []));

            return BenchRun.RunAsync(settings, cancellationToken);
        });
    }

    private static int AtLeastOne(int value, string option) =>
        value >= 1 ? value : throw new ArgumentException($"{option} takes a number of at least 1, not {value}.");

    private static Dictionary<string, string> ParseEnvironment(string[] pairs) =>
        pairs.Select(pair => pair.Split('=', 2))
            .ToDictionary(
                parts => parts[0],
                parts => parts.Length == 2
                    ? parts[1]
                    : throw new ArgumentException($"--server-env takes KEY=VALUE, not '{parts[0]}'."));
}
