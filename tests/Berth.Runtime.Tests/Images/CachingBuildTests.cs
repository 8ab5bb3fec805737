using Berth.Runtime.Images;
using Berth.Runtime.Tests.Support;

namespace Berth.Runtime.Tests.Images;

[Collection(DockerTestGroup.Name)]
public sealed class CachingBuildTests(DockerFixture docker)
{
    private const string StampScript = "cat /proc/sys/kernel/random/uuid > /etc/berth-build-stamp";

    [Fact]
    public async Task Build_OfExistingHash_IsACacheHitWithTheSameImage()
    {
        using var timeout = Bounded.Build();
        var request = new ImageBuildRequest(TestHashes.New()) { SetupScript = StampScript };

        var first = Assert.IsType<ImageBuilt>(await docker.BuildAsync(request, timeout.Token));
        var second = Assert.IsType<ImageBuilt>(await docker.BuildAsync(request, timeout.Token));

        Assert.False(first.CacheHit);
        Assert.True(second.CacheHit);
        Assert.Equal(first.ImageId, second.ImageId);
    }

    [Fact]
    public async Task Build_WithNoCache_RebuildsFromTheBaseAndDropsTheOldImage()
    {
        using var timeout = Bounded.Build();
        var request = new ImageBuildRequest(TestHashes.New()) { SetupScript = StampScript };
        var first = Assert.IsType<ImageBuilt>(await docker.BuildAsync(request, timeout.Token));
        var firstStamp = await StampOfAsync(first.Image, timeout.Token);

        var rebuilt = await docker.BuildAsync(request with { NoCache = true }, timeout.Token);

        var second = Assert.IsType<ImageBuilt>(rebuilt);
        Assert.False(second.CacheHit);
        Assert.NotEqual(first.ImageId, second.ImageId);
        Assert.NotEqual(firstStamp, await StampOfAsync(second.Image, timeout.Token));
        Assert.Null(await docker.Images.InspectAsync(first.ImageId, timeout.Token));
    }

    [Fact]
    public async Task Build_SetsWorkspaceVenvPathAndLabelsOnTheImage()
    {
        using var timeout = Bounded.Build();
        var request = new ImageBuildRequest(TestHashes.New()) { SetupScript = "true" };

        var built = Assert.IsType<ImageBuilt>(await docker.BuildAsync(request, timeout.Token));

        var image = await docker.Images.InspectAsync(built.Image, timeout.Token);
        Assert.NotNull(image);
        var path = image.Env.Single(e => e.StartsWith("PATH=", StringComparison.Ordinal));
        Assert.StartsWith("PATH=/opt/berth/venv/bin:", path, StringComparison.Ordinal);
        Assert.True(image.Entrypoint is null or [], "The image has an entrypoint.");
        Assert.Equal(["bash"], image.Cmd);
        Assert.Equal(docker.InstanceName, image.Labels[BerthLabels.Instance]);
        Assert.Equal(request.ConfigHash, image.Labels[BerthLabels.ConfigHash]);
        Assert.Equal(BerthLabels.EnvironmentImageKind, image.Labels[BerthLabels.Kind]);
        var (_, workingDirectory) = await docker.RunInImageAsync(built.Image, "pwd", timeout.Token);
        Assert.Equal("/workspace", workingDirectory);
    }

    private async Task<string> StampOfAsync(string image, CancellationToken cancellationToken)
    {
        var (exitCode, output) = await docker.RunInImageAsync(image, "cat /etc/berth-build-stamp", cancellationToken);
        Assert.Equal(0, exitCode);

        return output;
    }
}
