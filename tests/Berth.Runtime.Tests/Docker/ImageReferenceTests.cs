using Berth.Runtime.Docker;

namespace Berth.Runtime.Tests.Docker;

public sealed class ImageReferenceTests
{
    [Theory]
    [InlineData("berth/env:abc", "berth/env", "abc")]
    [InlineData("debian", "debian", "latest")]
    [InlineData("registry.local:5000/team/img", "registry.local:5000/team/img", "latest")]
    [InlineData("registry.local:5000/team/img:1.2", "registry.local:5000/team/img", "1.2")]
    public void Split_SeparatesRepositoryAndTag(string reference, string repository, string tag)
    {
        Assert.Equal((repository, tag), ImageReference.Split(reference));
    }
}
