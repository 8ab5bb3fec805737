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
        // A fresh server keeps re-compiling its hot code (tiered JIT with profile-guided
        // optimisation) for several seconds under load, about 7 s on this machine; a shorter
        // warm-up would put that compilation into the first measured phase of each server.
        Description = "Seconds of load before each phase's measurement starts.",
        DefaultValueFactory = _ => 5,
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
        Description = $"Phases to run, comma-separated, from {string.Join(',', BenchSettings.AllPhases)}. " +
            "A ratio or target is judged only when its phases ran.",
        DefaultValueFactory = _ => BenchSettings.AllPhases,
        CustomParser = result =>
            [.. result.Tokens.SelectMany(token => token.Value.Split(',', StringSplitOptions.RemoveEmptyEntries))],
    };

    private static readonly Option<bool> WithRuntime = new("--with-runtime")
    {
        Description = "Let berth reach this machine's Docker engine. Without it berth sees no container " +
            "runtime, so creates queue image builds that never run and compete for no CPU.",
    };

    private static IEnumerable<Option> Options =>
        [BerthDll, Connections, Warmup, Duration, Seed, ServerEnvironment, Phases, WithRuntime];

    /// <param name="root">The command that runs the bench.</param>
    /// <param name="terminated">Cancelled when the process is asked to stop by a signal.</param>
    public static void Configure(RootCommand root, CancellationToken terminated)
    {
        foreach (var option in Options)
        {
            root.Options.Add(option);
        }

        RequireAtLeast(Connections, 1);
        RequireAtLeast(Seed, 1);
        RequireAtLeast(Warmup, 0);
        RequireAtLeast(Duration, 1);
        ServerEnvironment.Validators.Add(result =>
        {
            var pairs = result.GetValueOrDefault<string[]>();
            foreach (var pair in pairs.Where(pair => !pair.Contains('=', StringComparison.Ordinal)))
            {
                result.AddError($"--server-env takes KEY=VALUE, not '{pair}'.");
            }
        });
        Phases.Validators.Add(result =>
        {
            foreach (var phase in result.GetValueOrDefault<string[]>().Except(BenchSettings.AllPhases))
            {
                result.AddError($"--phases takes {string.Join(',', BenchSettings.AllPhases)}, not '{phase}'.");
            }
        });

        root.SetAction((parse, cancellationToken) =>
        {
            var settings = new BenchSettings(
                Path.GetFullPath(parse.GetValue(BerthDll)!),
                parse.GetValue(Connections),
                TimeSpan.FromSeconds(parse.GetValue(Warmup)),
                TimeSpan.FromSeconds(parse.GetValue(Duration)),
                parse.GetValue(Seed),
                ParseEnvironment(parse.GetValue(ServerEnvironment) ?? []),
                (parse.GetValue(Phases) ?? BenchSettings.AllPhases).ToHashSet(),
                parse.GetValue(WithRuntime));

            return RunAsync(settings, terminated, cancellationToken);
        });
    }

    private static async Task<int> RunAsync(
        BenchSettings settings, CancellationToken terminated, CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(terminated, cancellationToken);

        return await BenchRun.RunAsync(settings, stop.Token);
    }

    private static void RequireAtLeast<T>(Option<T> option, T minimum)
        where T : IComparable<T> =>
        option.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<T>().CompareTo(minimum) < 0)
            {
                result.AddError($"{option.Name} must be at least {minimum}.");
            }
        });

    private static Dictionary<string, string> ParseEnvironment(string[] pairs) =>
        pairs.Select(pair => pair.Split('=', 2)).ToDictionary(parts => parts[0], parts => parts[1]);
}
