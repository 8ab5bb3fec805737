using Berth.Runtime.Images;
using Berth.Runtime.Tests.Support;

namespace Berth.Runtime.Tests.Images;

[Collection(DockerTestGroup.Name)]
public sealed class SetupScriptBuildTests(DockerFixture docker)
{
    [Fact]
    public async Task Build_WithSetupScript_RunsItAsRootInWorkspaceAndStreamsItsOutput()
    {
        using var timeout = Bounded.Build();
        var log = new RecordingBuildLog();
        var request = new ImageBuildRequest(TestHashes.New())
        {
            SetupScript = "echo hello from setup\necho \"$(id -u) $(pwd)\" > /etc/berth-setup",
        };

        var result = await docker.Builder.BuildAsync(request, log, timeout.Token);

        var built = Assert.IsType<ImageBuilt>(result);
        Assert.Contains("hello from setup", log.TextOf(BuildSteps.SetupScript));
        var (exitCode, output) = await docker.RunInImageAsync(built.Image, "cat /etc/berth-setup", timeout.Token);
        Assert.Equal(0, exitCode);
        Assert.Equal("0 /workspace", output);
    }

    [Fact]
    public async Task Build_WithSetupScriptExiting3_FailsInSetupScriptStepWithExitCode3()
    {
        using var timeout = Bounded.Build();
        var request = new ImageBuildRequest(TestHashes.New()) { SetupScript = "echo about to fail\nexit 3" };

        var result = await docker.BuildAsync(request, timeout.Token);

        var failed = Assert.IsType<ImageBuildFailed>(result);
        Assert.Equal(BuildSteps.SetupScript, failed.Step);
        Assert.Equal(3, failed.ExitCode);
        Assert.Contains("about to fail", failed.LogTail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Build_WithFailingCommandMidScript_StopsThereBecauseOfBashE()
    {
        using var timeout = Bounded.Build();
        var request = new ImageBuildRequest(TestHashes.New()) { SetupScript = "false\necho not reached" };

        var result = await docker.BuildAsync(request, timeout.Token);

        var failed = Assert.IsType<ImageBuildFailed>(result);
        Assert.Equal(1, failed.ExitCode);
        Assert.DoesNotContain("not reached", failed.LogTail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Build_ThatFails_LeavesNoTaggedImageAndNoContainer()
    {
        using var timeout = Bounded.Build();
        var request = new ImageBuildRequest(TestHashes.New()) { SetupScript = "touch /half-built\nexit 1" };

        var first = await docker.BuildAsync(request, timeout.Token);
        var second = await docker.BuildAsync(request, timeout.Token);

        Assert.IsType<ImageBuildFailed>(first);
        Assert.IsType<ImageBuildFailed>(second);
        Assert.Equal(ImagePresence.Absent, await docker.Catalog.FindAsync(request.ConfigHash, timeout.Token));
        var leftovers = await docker.Containers.ListIdsAsync(
            new Dictionary<string, string> { [BerthLabels.ConfigHash] = request.ConfigHash }, timeout.Token);
        Assert.Empty(leftovers);
    }
}
