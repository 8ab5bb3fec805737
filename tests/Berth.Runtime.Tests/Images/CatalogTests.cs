using Berth.Runtime.Images;
using Berth.Runtime.Tests.Support;

namespace Berth.Runtime.Tests.Images;

[Collection(DockerTestGroup.Name)]
public sealed class CatalogTests(DockerFixture docker)
{
    [Fact]
    public async Task List_AfterBuild_ContainsTheImageWithItsHash()
    {
        using var timeout = Bounded.Build();
        var request = new ImageBuildRequest(TestHashes.New()) { SetupScript = "true" };
        var built = Assert.IsType<ImageBuilt>(await docker.BuildAsync(request, timeout.Token));

        var list = await docker.Catalog.ListAsync(timeout.Token);

        Assert.True(list.IsAvailable);
        var image = Assert.Single(list.Images, i => i.ConfigHash == request.ConfigHash);
        Assert.Equal(built.Image, image.Image);
        Assert.Equal(built.ImageId, image.ImageId);
    }

    [Fact]
    public async Task Remove_OfBuiltImage_RemovesItAndThenReportsNotFound()
    {
        using var timeout = Bounded.Build();
        var request = new ImageBuildRequest(TestHashes.New()) { SetupScript = "true" };
        Assert.IsType<ImageBuilt>(await docker.BuildAsync(request, timeout.Token));

        var removed = await docker.Catalog.RemoveAsync(request.ConfigHash, timeout.Token);
        var again = await docker.Catalog.RemoveAsync(request.ConfigHash, timeout.Token);

        Assert.Equal(ImageRemoval.Removed, removed);
        Assert.Equal(ImageRemoval.NotFound, again);
        Assert.Equal(ImagePresence.Absent, await docker.Catalog.FindAsync(request.ConfigHash, timeout.Token));
    }

    [Fact]
    public async Task Find_OfBuiltImage_IsPresent()
    {
        using var timeout = Bounded.Build();
        var request = new ImageBuildRequest(TestHashes.New()) { SetupScript = "true" };
        Assert.IsType<ImageBuilt>(await docker.BuildAsync(request, timeout.Token));

        var presence = await docker.Catalog.FindAsync(request.ConfigHash, timeout.Token);

        Assert.Equal(ImagePresence.Present, presence);
    }
}
