using System.CommandLine;

namespace Berth.Bench.Api;

/// <summary>The bench's own options, and the action that runs it.</summary>
internal static class BenchCommand
{
    private static readonly Option<string> BerthDll = new("--berth")
    {
        Description = "Path of berth.dll from a Release build.",
        Required = true,
    };

    private static readonly Option<int> Connections = new("--connections")
    {
        Description = "Concurrent connections in every phase.",
        DefaultValueFactory = _ => 16,
    };

    private static readonly Option<double> Warmup = new("--warmup")
    {
        Description = "Seconds of load before each phase's measurement starts.",
        DefaultValueFactory = _ => 2,
    };

    private static readonly Option<double> Duration = new("--duration")
    {
        Description = "Seconds measured in each phase.",
        DefaultValueFactory = _ => 10,
    };

    private static readonly Option<int> Seed = new("--seed")
    {
        Description = "Environments created before the GET and list phases.",
        DefaultValueFactory = _ => 1000,
    };

    private static readonly Option<string[]> ServerEnvironment = new("--server-env")
    {
        Description = "KEY=VALUE set for both servers, to compare configurations " +
            "(for example Logging__LogLevel__Default=Warning or DOTNET_gcServer=1). Repeatable.",
        DefaultValueFactory = _ => [],
    };

    private static readonly Option<string[]> Phases = new("--phases")
    {
        Description = $"Phases to run, comma-separated, from {string.Join(',', BenchSettings.AllPhases)} (default all). " +
            "A ratio or target is judged only when its phases ran.",
        DefaultValueFactory = _ => BenchSettings.AllPhases,
        CustomParser = result => [.. result.Tokens.SelectMany(token => token.Value.Split(',', StringSplitOptions.RemoveEmptyEntries))],
    };

    private static IEnumerable<Option> Options => [BerthDll, Connections, Warmup, Duration, Seed, ServerEnvironment, Phases];

    public static void Configure(RootCommand root)
    {
        foreach (var option in Options)
        {
            root.Options.Add(option);
        }

        root.SetAction((parse, cancellationToken) =>
        {
            var settings = new BenchSettings(
                Path.GetFullPath(parse.GetValue(BerthDll)!),
                parse.GetValue(Connections),
                TimeSpan.FromSeconds(parse.GetValue(Warmup)),
                TimeSpan.FromSeconds(parse.GetValue(Duration)),
                parse.GetValue(Seed),
                ParseEnvironment(parse.GetValue(ServerEnvironment) ?? []),
                ParsePhases(parse.GetValue(Phases) ?? BenchSettings.AllPhases));

            return BenchRun.RunAsync(settings, cancellationToken);
        });
    }

    private static HashSet<string> ParsePhases(string[] phases)
    {
        var unknown = phases.Except(BenchSettings.AllPhases).ToArray();
        if (unknown.Length > 0)
        {
            throw new ArgumentException(
                $"--phases takes {string.Join(',', BenchSettings.AllPhases)}, not '{string.Join(',', unknown)}'.");
        }

        return [.. phases];
    }

    private static Dictionary<string, string> ParseEnvironment(string[] pairs) =>
        pairs.Select(pair => pair.Split('=', 2))
            .ToDictionary(
                parts => parts[0],
                parts => parts.Length == 2
                    ? parts[1]
                    : throw new ArgumentException($"--server-env takes KEY=VALUE, not '{parts[0]}'."));
}
