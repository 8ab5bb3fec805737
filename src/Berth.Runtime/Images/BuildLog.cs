namespace Berth.Runtime.Images;

/// <summary>One line of a build's output, with the step that printed it.</summary>
public sealed record BuildLogLine(string Step, string Text);

/// <summary>
/// Receives a build's output as it happens, in order, one call at a time. Implementations
/// should return quickly: the build waits for each call.
/// </summary>
public interface IBuildLog
{
    /// <summary>Receives the next line.</summary>
    void Write(BuildLogLine line);
}

/// <summary>Build logs that need no class of their own.</summary>
public static class BuildLog
{
    /// <summary>A log that drops every line.</summary>
    public static IBuildLog Discard { get; } = new DiscardingBuildLog();

    private sealed class DiscardingBuildLog : IBuildLog
    {
        public void Write(BuildLogLine line)
        {
        }
    }
}
