using System.Globalization;
using System.Text.RegularExpressions;

namespace Berth.Bench.Build;

/// <summary>
/// The time of each step of each Berth build, read from the server's debug log line
/// "Build of {image}: step {step} exited {code} after {ms} ms" (event 3005 of ImageBuildRun).
/// </summary>
internal static partial class BerthStepLog
{
    /// <returns>Per image, the time of each step; empty when the log has none of those lines.</returns>
    public static Dictionary<string, Dictionary<string, TimeSpan>> Read(string logText)
    {
        var byImage = new Dictionary<string, Dictionary<string, TimeSpan>>(StringComparer.Ordinal);
        foreach (Match match in StepLine().Matches(logText))
        {
            var image = match.Groups["image"].Value;
            if (!byImage.TryGetValue(image, out var steps))
            {
                steps = new Dictionary<string, TimeSpan>(StringComparer.Ordinal);
                byImage[image] = steps;
            }

            var milliseconds = long.Parse(match.Groups["ms"].Value, CultureInfo.InvariantCulture);
            steps[match.Groups["step"].Value] = TimeSpan.FromMilliseconds(milliseconds);
        }

        return byImage;
    }

    [GeneratedRegex(@"Build of (?<image>\S+): step (?<step>\w+) exited -?\d+ after (?<ms>\d+) ms")]
    private static partial Regex StepLine();
}
