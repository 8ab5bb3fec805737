using Berth.Core.Environments;

namespace Berth.Core.Tests.Environments;

public sealed class ConfigHashTests
{
    private const string BaseImage = "sha256:0123456789abcdef";

    private static EnvironmentConfig Config(
        IReadOnlyList<string>? apt = null,
        IReadOnlyList<string>? pip = null,
        IReadOnlyList<string>? npm = null,
        string? script = null,
        NetworkingConfig? networking = null) =>
        new(networking, new PackagesConfig(apt, pip, npm), script);

    [Fact]
    public void Compute_IsLowercaseHexSha256()
    {
        var hash = ConfigHash.Compute(BaseImage, Config());

        Assert.Matches("^[0-9a-f]{64}$", hash);
    }

    [Fact]
    public void Compute_SameConfig_GivesTheSameHash()
    {
        var first = ConfigHash.Compute(BaseImage, Config(apt: ["curl"], script: "echo"));
        var second = ConfigHash.Compute(BaseImage, Config(apt: ["curl"], script: "echo"));

        Assert.Equal(first, second);
    }

    [Fact]
    public void Compute_PackageOrderAndDuplicates_DoNotMatter()
    {
        var first = ConfigHash.Compute(BaseImage, Config(apt: ["git", "curl"], pip: ["b", "a"]));
        var second = ConfigHash.Compute(BaseImage, Config(apt: ["curl", "git", "curl"], pip: ["a", " b "]));

        Assert.Equal(first, second);
    }

    [Fact]
    public void Compute_Networking_DoesNotMatter()
    {
        var open = Config(apt: ["curl"], networking: NetworkingConfig.Unrestricted);
        var allowlist = new NetworkingConfig(NetworkingType.AllowedHosts, ["a.test"], null, null);
        var closed = Config(apt: ["curl"], networking: allowlist);

        Assert.Equal(ConfigHash.Compute(BaseImage, open), ConfigHash.Compute(BaseImage, closed));
    }

    [Fact]
    public void Compute_OmittedAndEmpty_AreTheSameImage()
    {
        var omitted = new EnvironmentConfig(null, null, null);
        var empty = Config(apt: [], pip: [], npm: [], script: "");

        Assert.Equal(ConfigHash.Compute(BaseImage, omitted), ConfigHash.Compute(BaseImage, empty));
    }

    [Theory]
    [InlineData("curl", "wget")]
    [InlineData("curl", "curl=7.88.1")]
    public void Compute_ChangedPackage_ChangesTheHash(string before, string after)
    {
        var first = ConfigHash.Compute(BaseImage, Config(apt: [before]));
        var second = ConfigHash.Compute(BaseImage, Config(apt: [after]));

        Assert.NotEqual(first, second);
    }

    [Fact]
    public void Compute_AddedPackage_ChangesTheHash()
    {
        var first = ConfigHash.Compute(BaseImage, Config(npm: ["a"]));
        var second = ConfigHash.Compute(BaseImage, Config(npm: ["a", "b"]));

        Assert.NotEqual(first, second);
    }

    [Fact]
    public void Compute_SamePackageUnderAnotherManager_ChangesTheHash()
    {
        var first = ConfigHash.Compute(BaseImage, Config(apt: ["six"]));
        var second = ConfigHash.Compute(BaseImage, Config(pip: ["six"]));

        Assert.NotEqual(first, second);
    }

    [Theory]
    [InlineData("echo a", "echo b")]
    [InlineData("echo a", "echo a\n")]
    [InlineData("echo a", "echo a ")]
    [InlineData("", "\n")]
    public void Compute_ChangedScript_ChangesTheHash(string before, string after)
    {
        var first = ConfigHash.Compute(BaseImage, Config(script: before));
        var second = ConfigHash.Compute(BaseImage, Config(script: after));

        Assert.NotEqual(first, second);
    }

    [Fact]
    public void Compute_ChangedBaseImage_ChangesTheHash()
    {
        var config = Config(apt: ["curl"]);

        Assert.NotEqual(ConfigHash.Compute("base:1", config), ConfigHash.Compute("base:2", config));
    }

    [Fact]
    public void Compute_TextMovedBetweenFields_ChangesTheHash()
    {
        // Length prefixes keep a script from imitating the boundary after a package.
        var first = ConfigHash.Compute(BaseImage, Config(npm: ["a"], script: "b"));
        var second = ConfigHash.Compute(BaseImage, Config(npm: ["a\nsetup_script 1\nb"], script: ""));

        Assert.NotEqual(first, second);
    }

    [Fact]
    public void Compute_IsStableAcrossReleases()
    {
        // Pins the recipe: if this changes, every existing image is rebuilt once, which must be
        // a deliberate choice made by changing the recipe version.
        var hash = ConfigHash.Compute("debian:bookworm", Config(apt: ["curl"], script: "echo hi"));

        Assert.Equal("f4a532a7705d372c79efc9d76d89c1c1d9a392e00ed4c767bf41644974f74efe", hash);
    }
}
