using Berth.Runtime.Images;
using Berth.Runtime.Tests.Support;

namespace Berth.Runtime.Tests.Images;

[Collection(DockerTestGroup.Name)]
public sealed class InterruptedBuildTests(DockerFixture docker)
{
    [Fact]
    public async Task Build_CancelledMidStep_LeavesNoTaggedImageAndNoContainer()
    {
        using var timeout = Bounded.Build();
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token);
        var request = new ImageBuildRequest(TestHashes.New()) { SetupScript = "echo started\nsleep 120" };
        var log = new StartSignallingLog("started", cancel);

        var build = docker.Builder.BuildAsync(request, log, cancel.Token);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => build);
        Assert.Equal(ImagePresence.Absent, await docker.Catalog.FindAsync(request.ConfigHash, timeout.Token));
        var leftovers = await docker.Containers.ListIdsAsync(
            new Dictionary<string, string> { [BerthLabels.ConfigHash] = request.ConfigHash }, timeout.Token);
        Assert.Empty(leftovers);
    }

    [Fact]
    public async Task Build_TwiceAtOnce_BuildsOnceAndTheOtherFindsTheImage()
    {
        using var timeout = Bounded.Build();
        var request = new ImageBuildRequest(TestHashes.New()) { SetupScript = "sleep 1" };

        var results = await Task.WhenAll(
            docker.BuildAsync(request, timeout.Token),
            docker.BuildAsync(request, timeout.Token));

        var built = results.Select(r => Assert.IsType<ImageBuilt>(r)).ToList();
        Assert.Single(built, b => !b.CacheHit);
        Assert.Single(built.Select(b => b.ImageId).Distinct());
    }

    /// <summary>Cancels the build once the step prints a given line, so the cancel lands mid-step.</summary>
    private sealed class StartSignallingLog(string line, CancellationTokenSource cancel) : IBuildLog
    {
        public void Write(BuildLogLine logLine)
        {
            if (logLine.Text == line)
            {
                cancel.Cancel();
            }
        }
    }
}
