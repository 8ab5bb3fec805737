using Berth.Runtime.Images;

namespace Berth.Runtime.Tests.Images;

public sealed class BuildPlanTests
{
    private static readonly RuntimeOptions Options = new()
    {
        PipIndexUrl = "http://127.0.0.1:9999/simple/",
        NpmRegistryUrl = "https://registry.example.test/",
    };

    [Fact]
    public void For_AllParts_OrdersAptPipNpmThenSetupScript()
    {
        var request = new ImageBuildRequest("h") { Apt = ["a"], Pip = ["b"], Npm = ["c"], SetupScript = "true" };

        var steps = BuildPlan.For(request, Options);

        Assert.Equal(
            [BuildSteps.Apt, BuildSteps.Pip, BuildSteps.Npm, BuildSteps.SetupScript],
            steps.Select(s => s.Name));
    }

    [Fact]
    public void For_NothingToDo_HasNoSteps()
    {
        var steps = BuildPlan.For(new ImageBuildRequest("h") { SetupScript = "" }, Options);

        Assert.Empty(steps);
    }

    [Fact]
    public void For_PipSpecWithShellCharacters_PassesItAsOneArgumentNotShellText()
    {
        var request = new ImageBuildRequest("h") { Pip = ["requests[socks]>=2.31"] };

        var command = Assert.Single(BuildPlan.For(request, Options)).Command;

        Assert.Equal("requests[socks]>=2.31", command.Arguments[^1]);
        Assert.DoesNotContain("requests", command.Arguments[2], StringComparison.Ordinal);
    }

    [Fact]
    public void For_PlainHttpPipIndex_TrustsItsHost()
    {
        var request = new ImageBuildRequest("h") { Pip = ["x"] };

        var arguments = Assert.Single(BuildPlan.For(request, Options)).Command.Arguments;

        var trusted = arguments.ToList().IndexOf("--trusted-host");
        Assert.Equal("127.0.0.1", arguments[trusted + 1]);
    }

    [Fact]
    public void For_Npm_UsesTheConfiguredRegistry()
    {
        var request = new ImageBuildRequest("h") { Npm = ["is-number@7.0.0"] };

        var arguments = Assert.Single(BuildPlan.For(request, Options)).Command.Arguments;

        Assert.Contains(Options.NpmRegistryUrl, arguments);
    }

    [Fact]
    public void For_SpecStartingWithDash_Throws()
    {
        var request = new ImageBuildRequest("h") { Apt = ["--allow-unauthenticated"] };

        Assert.Throws<ArgumentException>(() => BuildPlan.For(request, Options));
    }
}
