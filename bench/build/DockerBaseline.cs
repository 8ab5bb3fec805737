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
        var timeline = new BuildTimeline();
        var built = false;
        try
        {
            var result = await RunBuildAsync(context, tag, timeline, timeout, cancellationToken);
            var wall = timeline.Elapsed;
            if (!result.Succeeded)
            {
                throw new BenchFailedException(
                    $"docker build of round {round} failed with exit code {result.ExitCode}:\n{result.Tail(20)}");
            }

            built = true;

            return new DockerBuildResult(tag, wall, timeline.PerStep(instructionSteps, wall), timeline.SawSteps);
        }
        finally
        {
            if (!built)
            {
                await RemoveIntermediatesAsync(timeline.IntermediateImages);
            }
        }
    }

    private static async Task<CommandResult> RunBuildAsync(
        string context, string tag, BuildTimeline timeline, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout);
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

    // The legacy builder keeps the image of each step that finished; after a failed or stopped
    // build nothing tags them, and only the ids in its output name them. Newest first: each is
    // the parent of the next. When the CLI was stopped, the engine may still be winding the
    // build down and using the newest, so removal is tried again for a while.
    private static async Task RemoveIntermediatesAsync(IReadOnlyList<string> ids)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var remaining = ids.Reverse().ToList();
        try
        {
            for (var attempt = 0; remaining.Count > 0 && attempt < 15; attempt++)
            {
                if (attempt > 0)
                {
                    await Task.Delay(TimeSpan.FromSeconds(1), timeout.Token);
                }

                await DockerCli.RemoveImagesAsync(remaining, timeout.Token);
                remaining = await StillThereAsync(remaining, timeout.Token);
            }
        }
        catch (OperationCanceledException)
        {
            // Reported below with whatever is left.
        }

        if (remaining.Count > 0)
        {
            await Console.Error.WriteLineAsync(
                $"bench: could not remove the docker build's intermediate images {string.Join(' ', remaining)}");
        }
    }

    private static async Task<List<string>> StillThereAsync(List<string> ids, CancellationToken cancellationToken)
    {
        var left = new List<string>();
        foreach (var id in ids)
        {
            if (await DockerCli.InspectImageAsync(id, "{{.Id}}", cancellationToken) is not null)
            {
                left.Add(id);
            }
        }

        return left;
    }

    /// <summary>
    /// The build's clock; when each "Step N/M" line of the legacy builder arrived on it; and the
    /// images of the steps that finished.
    /// </summary>
    private sealed partial class BuildTimeline
    {
        private readonly Stopwatch _clock = Stopwatch.StartNew();
        private readonly List<(int Step, TimeSpan At)> _starts = [];
        private readonly List<string> _images = [];

        public bool SawSteps => _starts.Count > 0;

        public TimeSpan Elapsed => _clock.Elapsed;

        public IReadOnlyList<string> IntermediateImages => _images;

        // Called for each output line, one at a time.
        public void Observe(string line)
        {
            if (StepLine().Match(line) is { Success: true } step)
            {
                _starts.Add((int.Parse(step.Groups[1].Value, CultureInfo.InvariantCulture), _clock.Elapsed));
            }
            else if (ImageLine().Match(line) is { Success: true } image && _starts is [.., { Step: > 1 }])
            {
                // The image named under step 1 is the FROM image, which is not the build's to remove.
                _images.Add(image.Groups[1].Value);
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

        [GeneratedRegex(@"^ ---> ([0-9a-f]{12,64})$")]
        private static partial Regex ImageLine();
    }
}
