using System.Collections.Concurrent;
using Berth.Runtime.Images;

namespace Berth.Runtime.Tests.Support;

/// <summary>A build log that keeps every line, for assertions.</summary>
internal sealed class RecordingBuildLog : IBuildLog
{
    private readonly ConcurrentQueue<BuildLogLine> _lines = new();

    public IReadOnlyList<BuildLogLine> Lines => _lines.ToList();

    public void Write(BuildLogLine line) => _lines.Enqueue(line);

    public IEnumerable<string> TextOf(string step) => _lines.Where(l => l.Step == step).Select(l => l.Text);
}
