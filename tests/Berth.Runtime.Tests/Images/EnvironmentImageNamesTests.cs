using Berth.Runtime.Images;

namespace Berth.Runtime.Tests.Images;

public sealed class EnvironmentImageNamesTests
{
    [Fact]
    public void For_HexHash_IsTheEnvRepositoryTag()
    {
        Assert.Equal("berth/env:0123abcd", EnvironmentImageNames.For("0123abcd"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("-x")]
    [InlineData("a:b")]
    [InlineData("a/b")]
    public void For_HashThatCannotBeATag_Throws(string hash)
    {
        Assert.Throws<ArgumentException>(() => EnvironmentImageNames.For(hash));
    }
}
