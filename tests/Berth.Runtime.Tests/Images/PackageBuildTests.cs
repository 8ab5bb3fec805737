using Berth.Runtime.Images;
using Berth.Runtime.Tests.Support;

namespace Berth.Runtime.Tests.Images;

[Collection(DockerTestGroup.Name)]
public sealed class PackageBuildTests(DockerFixture docker)
{
    [Fact]
    public async Task Build_WithAptPackages_InstallsThem()
    {
        using var timeout = Bounded.Build();
        var request = new ImageBuildRequest(TestHashes.New()) { Apt = ["jq", "tree"] };

        var result = await docker.BuildAsync(request, timeout.Token);

        var built = Assert.IsType<ImageBuilt>(result);
        Assert.False(built.CacheHit);
        var (exitCode, output) = await docker.RunInImageAsync(
            built.Image, "jq --version && tree --version", timeout.Token);
        Assert.Equal(0, exitCode);
        Assert.Contains("jq-", output, StringComparison.Ordinal);
        Assert.Contains("tree v", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Build_WithNpmPackage_InstallsItGloballyFromTheRegistry()
    {
        using var timeout = Bounded.Build();
        var request = new ImageBuildRequest(TestHashes.New()) { Npm = ["is-number@7.0.0"] };

        var result = await docker.BuildAsync(request, timeout.Token);

        var built = Assert.IsType<ImageBuilt>(result);
        var (exitCode, output) = await docker.RunInImageAsync(built.Image, "npm ls --global --depth=0", timeout.Token);
        Assert.Equal(0, exitCode);
        Assert.Contains("is-number@7.0.0", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Build_WithPipPackage_InstallsItFromTheConfiguredIndexIntoTheVenv()
    {
        using var timeout = Bounded.Build();
        var request = new ImageBuildRequest(TestHashes.New()) { Pip = [$"{DockerFixture.ProbeProject}==1.0.0"] };

        var result = await docker.BuildAsync(request, timeout.Token);

        var built = Assert.IsType<ImageBuilt>(result);
        var (exitCode, output) = await docker.RunInImageAsync(built.Image,
            $"command -v python3 && python3 -c 'import {DockerFixture.ProbeModule} as m; print(m.VALUE)'",
            timeout.Token);
        Assert.Equal(0, exitCode);
        Assert.Equal($"/opt/berth/venv/bin/python3\n{DockerFixture.ProbeValue}", output);
    }

    [Theory]
    [InlineData(BuildSteps.Apt, "berth-no-such-apt-package")]
    [InlineData(BuildSteps.Pip, "berth-no-such-pip-package")]
    [InlineData(BuildSteps.Npm, "berth-no-such-npm-package-7d1e")]
    public async Task Build_WithUnknownPackage_FailsInItsStepNamingThePackage(string step, string package)
    {
        using var timeout = Bounded.Build();
        var request = new ImageBuildRequest(TestHashes.New())
        {
            Apt = step == BuildSteps.Apt ? [package] : [],
            Pip = step == BuildSteps.Pip ? [package] : [],
            Npm = step == BuildSteps.Npm ? [package] : [],
        };

        var result = await docker.BuildAsync(request, timeout.Token);

        var failed = Assert.IsType<ImageBuildFailed>(result);
        Assert.Equal(step, failed.Step);
        Assert.NotNull(failed.ExitCode);
        Assert.NotEqual(0, failed.ExitCode);
        Assert.Contains(package, failed.LogTail, StringComparison.Ordinal);
    }
}
