using Berth.Core.Environments;
using static Berth.Core.Tests.Environments.RequestBodies;

namespace Berth.Core.Tests.Environments;

public sealed class PackagesRequestTests
{
    private static PackagesConfig? AcceptedPackages(string packages) =>
        AssertAccepted(EnvironmentRequests.ParseCreate(WithPackages(packages))).Config.Packages;

    private static string RefusedOn(string packages, string param) =>
        AssertRefused(EnvironmentRequests.ParseCreate(WithPackages(packages)), param);

    [Fact]
    public void ParseCreate_PackagesForEveryManager_AreKeptInOrderSent()
    {
        var packages = AcceptedPackages("""
            {"npm":["@types/node@20.11.0","lodash"],"apt":["git","curl"],"pip":["requests[socks]>=2.31","pandas"]}
            """);

        Assert.Equal(new PackagesConfig(["git", "curl"], ["requests[socks]>=2.31", "pandas"],
            ["@types/node@20.11.0", "lodash"]), packages);
    }

    [Fact]
    public void ParseCreate_NullPackages_IsOmitted()
    {
        Assert.Null(AcceptedPackages("null"));
    }

    [Fact]
    public void ParseCreate_PackagesTypeMarker_IsAcceptedAndNotStored()
    {
        var body = WithPackages("""{"type":"packages","apt":["curl"]}""");

        var draft = AssertAccepted(EnvironmentRequests.ParseCreate(body));

        Assert.Equal("""{"type":"cloud","packages":{"apt":["curl"]}}""", draft.Config.ToJson());
    }

    [Fact]
    public void ParseCreate_OnlyTypeMarker_StoresEmptyPackages()
    {
        var packages = AcceptedPackages("""{"type":"packages"}""");

        Assert.Equal(PackagesConfig.None, packages);
    }

    [Theory]
    [InlineData("\"apt\"")]
    [InlineData("1")]
    public void ParseCreate_PackagesTypeMarkerWrong_FailsOnPackagesType(string type)
    {
        var message = RefusedOn($$"""{"type":{{type}}}""", "config.packages.type");

        Assert.Contains("\"packages\"", message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("[\"curl\"]")]
    [InlineData("\"curl\"")]
    public void ParseCreate_PackagesNotAnObject_FailsOnPackages(string packages)
    {
        var message = RefusedOn(packages, "config.packages");

        Assert.Contains("apt, pip, npm", message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("brew")]
    [InlineData("cargo")]
    [InlineData("APT")]
    public void ParseCreate_UnknownManager_FailsOnThatKeyNamingTheSupportedOnes(string manager)
    {
        var message = RefusedOn($$"""{"apt":["curl"],"{{manager}}":["x"]}""", $"config.packages.{manager}");

        Assert.Contains("apt, pip, npm", message, StringComparison.Ordinal);
    }

    [Fact]
    public void ParseCreate_UnknownManagerWithNullValue_StillFails()
    {
        RefusedOn("""{"brew":null}""", "config.packages.brew");
    }

    [Fact]
    public void ParseCreate_NullManagerList_IsOmitted()
    {
        var packages = AcceptedPackages("""{"apt":null,"pip":["pandas"]}""");

        Assert.Equal(new PackagesConfig(null, ["pandas"], null), packages);
    }

    [Fact]
    public void ParseCreate_EmptyManagerList_IsKeptEmpty()
    {
        var packages = AcceptedPackages("""{"apt":[]}""");

        Assert.Equal([], packages!.Apt);
    }

    [Theory]
    [InlineData("apt", "\"curl\"")]
    [InlineData("pip", "{}")]
    [InlineData("npm", "1")]
    public void ParseCreate_ManagerListNotAnArray_FailsOnTheManager(string manager, string value)
    {
        var message = RefusedOn($$"""{"{{manager}}":{{value}}}""", $"config.packages.{manager}");

        Assert.Contains("must be an array", message, StringComparison.Ordinal);
    }

    [Fact]
    public void ParseCreate_SpecNotAString_FailsOnThatItem()
    {
        var message = RefusedOn("""{"apt":["curl","git",null]}""", "config.packages.apt[2]");

        Assert.Contains("must be a string", message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("apt", "curl; rm -rf /")]
    [InlineData("pip", "pandas>=1 ; python_version<'3'")]
    [InlineData("npm", "Lodash")]
    public void ParseCreate_InvalidSpec_FailsOnThatItemSayingWhatIsAccepted(string manager, string spec)
    {
        var packages = $$"""{"{{manager}}":["ok-one","ok-two",{{System.Text.Json.JsonSerializer.Serialize(spec)}}]}""";

        var message = RefusedOn(packages, $"config.packages.{manager}[2]");

        Assert.Contains($"is not a valid {manager} package", message, StringComparison.Ordinal);
        Assert.Contains("Accepted:", message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("apt")]
    [InlineData("pip")]
    [InlineData("npm")]
    public void ParseCreate_256Specs_IsAccepted(string manager)
    {
        var specs = ArrayOf(256, i => $"pkg{i}");

        var packages = AcceptedPackages($$"""{"{{manager}}":{{specs}}}""");

        Assert.Equal(256, packages!.EffectiveFor(Enum.Parse<PackageManager>(manager, ignoreCase: true)).Count);
    }

    [Theory]
    [InlineData("apt")]
    [InlineData("pip")]
    [InlineData("npm")]
    public void ParseCreate_257Specs_FailsOnTheManager(string manager)
    {
        var specs = ArrayOf(257, i => $"pkg{i}");

        var message = RefusedOn($$"""{"{{manager}}":{{specs}}}""", $"config.packages.{manager}");

        Assert.Contains("at most 256 packages; got 257", message, StringComparison.Ordinal);
    }
}
