using Berth.Core.Environments;
using static Berth.Core.Tests.Environments.RequestBodies;

namespace Berth.Core.Tests.Environments;

public sealed class ApplyTests
{
    private static EnvironmentDraft Current(int metadataKeys = 2) => new(
        "current",
        "described",
        new EnvironmentConfig(
            new NetworkingConfig(NetworkingType.Limited, ["a.test"], true, null),
            new PackagesConfig(["curl"], null, null),
            "echo old"),
        Enumerable.Range(0, metadataKeys).ToDictionary(i => $"k{i}", i => $"v{i}"));

    private static EnvironmentDraft ApplyBody(EnvironmentDraft current, string json)
    {
        var patch = AssertAccepted(EnvironmentRequests.ParseUpdate(Parse(json)));

        return AssertAccepted(EnvironmentRequests.Apply(current, patch));
    }

    [Fact]
    public void Apply_EmptyPatch_KeepsEverything()
    {
        var current = Current();

        var updated = ApplyBody(current, "{}");

        Assert.Equal(current.Name, updated.Name);
        Assert.Equal(current.Description, updated.Description);
        Assert.Equal(current.Config, updated.Config);
        Assert.Equal(current.Metadata, updated.Metadata);
    }

    [Fact]
    public void Apply_NameAndDescription_ReplaceThem()
    {
        var updated = ApplyBody(Current(), """{"name":"renamed","description":"new"}""");

        Assert.Equal("renamed", updated.Name);
        Assert.Equal("new", updated.Description);
    }

    [Fact]
    public void Apply_NullDescription_StoresEmpty()
    {
        var updated = ApplyBody(Current(), """{"description":null}""");

        Assert.Equal("", updated.Description);
    }

    [Fact]
    public void Apply_ConfigWithOnlySetupScript_KeepsNetworkingAndPackages()
    {
        var current = Current();

        var updated = ApplyBody(current, """{"config":{"type":"cloud","setup_script":"echo new"}}""");

        Assert.Equal(current.Config with { SetupScript = "echo new" }, updated.Config);
    }

    [Fact]
    public void Apply_ConfigWithNetworking_ReplacesNetworkingWhole()
    {
        var current = Current();

        var updated = ApplyBody(current, """{"config":{"type":"cloud","networking":{"type":"unrestricted"}}}""");

        Assert.Equal(NetworkingConfig.Unrestricted, updated.Config.Networking);
        Assert.Equal(current.Config.Packages, updated.Config.Packages);
        Assert.Equal(current.Config.SetupScript, updated.Config.SetupScript);
    }

    [Fact]
    public void Apply_ConfigWithPackages_ReplacesPackagesWhole()
    {
        var updated = ApplyBody(Current(), """{"config":{"type":"cloud","packages":{"npm":["lodash"]}}}""");

        Assert.Equal(new PackagesConfig(null, null, ["lodash"]), updated.Config.Packages);
    }

    [Fact]
    public void Apply_Metadata_SetsChangesAndDeletes()
    {
        var updated = ApplyBody(Current(3), """{"metadata":{"k0":"changed","k1":null,"k2":"","new":"added"}}""");

        Assert.Equal(["k0", "new"], updated.Metadata.Keys);
        Assert.Equal("changed", updated.Metadata["k0"]);
        Assert.Equal("added", updated.Metadata["new"]);
    }

    [Fact]
    public void Apply_DeletingAMissingKey_IsANoOp()
    {
        var updated = ApplyBody(Current(1), """{"metadata":{"absent":null}}""");

        Assert.Equal(["k0"], updated.Metadata.Keys);
    }

    [Fact]
    public void Apply_MetadataResultOf16Keys_IsAccepted()
    {
        var updated = ApplyBody(Current(15), """{"metadata":{"sixteenth":"v"}}""");

        Assert.Equal(16, updated.Metadata.Count);
    }

    [Fact]
    public void Apply_MetadataResultOver16Keys_FailsOnMetadata()
    {
        var patch = AssertAccepted(EnvironmentRequests.ParseUpdate(Parse("""{"metadata":{"k16":"v"}}""")));

        var result = EnvironmentRequests.Apply(Current(16), patch);

        var message = AssertRefused(result, "metadata");
        Assert.Contains("would have 17 keys", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Apply_ManyKeysWhereDeletionsKeepTheResultSmall_IsAccepted()
    {
        var metadata = new Dictionary<string, string?>();
        for (var i = 0; i < 16; i++)
        {
            metadata[$"k{i}"] = null;
            metadata[$"n{i}"] = "v";
        }

        var patch = new EnvironmentPatch(null, null, null, metadata);

        var updated = AssertAccepted(EnvironmentRequests.Apply(Current(16), patch));

        Assert.All(updated.Metadata.Keys, key => Assert.StartsWith("n", key, StringComparison.Ordinal));
        Assert.Equal(16, updated.Metadata.Count);
    }

    [Fact]
    public void Apply_StoredMetadataOverTheLimit_AcceptsAResultWithinIt()
    {
        var patch = new EnvironmentPatch(null, null, null, new Dictionary<string, string?> { ["k0"] = null });

        var updated = AssertAccepted(EnvironmentRequests.Apply(Current(17), patch));

        Assert.Equal(16, updated.Metadata.Count);
    }

    [Fact]
    public void Apply_DoesNotChangeTheCurrentDraft()
    {
        var current = Current(2);

        ApplyBody(current, """{"metadata":{"k0":null,"x":"y"}}""");

        Assert.Equal(["k0", "k1"], current.Metadata.Keys);
    }
}
