using Berth.Api.Builds;
using Berth.Runtime.Images;

namespace Berth.Api.Tests.Builds;

/// <summary>A build's log, kept on disk and in memory, up to its size limit.</summary>
public sealed class BuildRunTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("berth-build-run-").FullName;

    [Fact]
    public async Task Write_PastTheLimit_CutsTheLogOnDiskAndForFollowers()
    {
        var path = Path.Combine(_directory, "build.log");
        using var run = new BuildRun("hash", path, maxBytes: 4096);

        for (var i = 0; i < 1000; i++)
        {
            run.Write(new BuildLogLine(BuildSteps.SetupScript, $"line {i:D4} {new string('x', 40)}"));
        }

        run.Finish(null!);
        var followed = new List<string>();
        await foreach (var line in run.FollowAsync(CancellationToken.None))
        {
            followed.Add(line);
        }

        var written = await File.ReadAllLinesAsync(path);
        Assert.InRange(new FileInfo(path).Length, 4000, 4096 + 200);
        Assert.Equal(written, followed);
        Assert.StartsWith("[setup_script] line 0000", written[0], StringComparison.Ordinal);
        Assert.Contains("The log is cut here", written[^1], StringComparison.Ordinal);
        Assert.DoesNotContain(written, l => l.Contains("line 0999", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Finish_AfterTheRunWasDisposed_StillTellsItsWaiters()
    {
        var run = new BuildRun("hash", Path.Combine(_directory, "build.log"), maxBytes: 4096);
        var waiting = run.Finished;
        run.Dispose();

        run.Finish(null!);

        Assert.True(waiting.IsCompletedSuccessfully);
        await waiting;
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
