using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Berth.Bench.Build;

/// <summary>One <c>docker build --no-cache</c>: its wall time, and the time of each Berth step's RUN.</summary>
internal sealed record DockerBuildResult(
    string Tag, TimeSpan Wall, IReadOnlyDictionary<string, TimeSpan> Steps, bool LegacyBuilder);

/// <summary>Builds the equivalent Dockerfile with the docker CLI, the baseline Berth's builds are held to.</summary>
internal sealed partial class DockerBaseline(string workDirectory, string runId)
{
    private readonly List<string> _tags = [];

    public IReadOnlyList<string> Tags => _tags;

    public async Task<DockerBuildResult> BuildAsync(
        int round, string dockerfile, IReadOnlyList<string?> instructionSteps, TimeSpan timeout,
        CancellationToken cancellationToken)
    {
        var context = Directory.CreateDirectory(Path.Combine(workDirectory, $"docker-round-{round}")).FullName;
        await File.WriteAllTextAsync(Path.Combine(context, "Dockerfile"), dockerfile, cancellationToken);
        var tag = $"berth-bench-build:{runId}-{round}";
        _tags.Add(tag);
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout);
        var timeline = new StepTimeline();

        var result = await RunBuildAsync(context, tag, timeline, limit, timeout, cancellationToken);
        var wall = timeline.Elapsed;

        if (!result.Succeeded)
        {
            await RemoveIntermediatesAsync(result.Output);
            throw new BenchFailedException(
                $"docker build of round {round} failed with exit code {result.ExitCode}:\n{result.Tail(20)}");
        }

        return new DockerBuildResult(tag, wall, timeline.PerStep(instructionSteps, wall), timeline.SawSteps);
    }

    private static async Task<CommandResult> RunBuildAsync(
        string context, string tag, StepTimeline timeline, CancellationTokenSource limit, TimeSpan timeout,
        CancellationToken cancellationToken)
    {
        try
        {
            return await DockerCli.RunAsync(
                ["build", "--no-cache", "--force-rm", "--tag", tag, "."], limit.Token, context, timeline.Observe);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new BenchFailedException($"docker build did not finish within {timeout.TotalSeconds:0} s.");
        }
    }

    // A failed legacy build leaves the images of the steps that did finish, untagged; only their ids name them.
    private static async Task RemoveIntermediatesAsync(string output)
    {
        var ids = IntermediateImage().Matches(output).Select(match => match.Groups[1].Value).Reverse();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await DockerCli.RemoveImagesAsync(ids, timeout.Token);
    }

    [GeneratedRegex(@"^ ---> ([0-9a-f]{12,64})$", RegexOptions.Multiline)]
    private static partial Regex IntermediateImage();

    /// <summary>The build's clock, and when each "Step N/M" line of the legacy builder arrived on it.</summary>
    private sealed partial class StepTimeline
    {
        private readonly Stopwatch _clock = Stopwatch.StartNew();
        private readonly List<(int Step, TimeSpan At)> _starts = [];

        public bool SawSteps => _starts.Count > 0;

        public TimeSpan Elapsed => _clock.Elapsed;

        public void Observe(string line)
        {
            var match = StepLine().Match(line);
            if (match.Success)
            {
                _starts.Add((int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture), _clock.Elapsed));
            }
        }

        /// <summary>Each instruction lasts from its "Step" line to the next one, the last to the end.</summary>
        public Dictionary<string, TimeSpan> PerStep(IReadOnlyList<string?> instructionSteps, TimeSpan end)
        {
            var steps = new Dictionary<string, TimeSpan>(StringComparer.Ordinal);
            for (var i = 0; i < _starts.Count; i++)
            {
                var (number, at) = _starts[i];
                var until = i + 1 < _starts.Count ? _starts[i + 1].At : end;
                if (number - 1 < instructionSteps.Count && instructionSteps[number - 1] is { } name)
                {
                    steps[name] = until - at;
                }
            }

            return steps;
        }

        [GeneratedRegex(@"^Step (\d+)/\d+ : ")]
        private static partial Regex StepLine();
    }
}
