using Berth.Runtime.Images;

namespace Berth.Runtime.Tests.Images;

public sealed class ImageEnvironmentTests
{
    [Fact]
    public void WithVirtualEnvironmentFirst_KeepsOtherVariablesAndPathEntries()
    {
        var env = ImageEnvironment.WithVirtualEnvironmentFirst(["LANG=C.UTF-8", "PATH=/usr/local/bin:/usr/bin"]);

        Assert.Equal(["LANG=C.UTF-8", "PATH=/opt/berth/venv/bin:/usr/local/bin:/usr/bin"], env);
    }

    [Fact]
    public void WithVirtualEnvironmentFirst_VenvAlreadyLater_MovesItFirstOnce()
    {
        var env = ImageEnvironment.WithVirtualEnvironmentFirst(["PATH=/usr/bin:/opt/berth/venv/bin"]);

        Assert.Equal(["PATH=/opt/berth/venv/bin:/usr/bin"], env);
    }

    [Fact]
    public void WithVirtualEnvironmentFirst_NoPath_UsesTheDefaultPath()
    {
        var env = ImageEnvironment.WithVirtualEnvironmentFirst([]);

        Assert.Equal(
            "PATH=/opt/berth/venv/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
            Assert.Single(env));
    }
}
