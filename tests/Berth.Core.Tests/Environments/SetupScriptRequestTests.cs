using Berth.Core.Environments;
using Berth.Core.Validation;
using static Berth.Core.Tests.Environments.RequestBodies;

namespace Berth.Core.Tests.Environments;

public sealed class SetupScriptRequestTests
{
    private static Validated<EnvironmentDraft> CreateWith(string script) =>
        EnvironmentRequests.ParseCreate(WithConfig($$"""{"type":"cloud","setup_script":{{script}}}"""));

    [Fact]
    public void ParseCreate_SetupScript_IsKeptExactly()
    {
        var draft = AssertAccepted(CreateWith("\"#!/bin/bash\\nset -x\\necho \\\"héllo\\\" > /tmp/x\\n\""));

        Assert.Equal("#!/bin/bash\nset -x\necho \"héllo\" > /tmp/x\n", draft.Config.SetupScript);
    }

    [Fact]
    public void ParseCreate_EmptySetupScript_IsKept()
    {
        var draft = AssertAccepted(CreateWith("\"\""));

        Assert.Equal("", draft.Config.SetupScript);
    }

    [Fact]
    public void ParseCreate_NullSetupScript_IsOmitted()
    {
        var draft = AssertAccepted(CreateWith("null"));

        Assert.Null(draft.Config.SetupScript);
    }

    [Theory]
    [InlineData("1")]
    [InlineData("[\"echo hi\"]")]
    public void ParseCreate_SetupScriptNotAString_FailsOnSetupScript(string script)
    {
        var message = AssertRefused(CreateWith(script), "config.setup_script");

        Assert.Contains("must be a string", message, StringComparison.Ordinal);
    }

    [Fact]
    public void ParseCreate_SetupScriptOf65536Bytes_IsAccepted()
    {
        var script = new string('x', 65_536);

        var draft = AssertAccepted(CreateWith($"\"{script}\""));

        Assert.Equal(script, draft.Config.SetupScript);
    }

    [Fact]
    public void ParseCreate_SetupScriptOver65536Bytes_FailsOnSetupScript()
    {
        var script = new string('x', 65_537);

        var message = AssertRefused(CreateWith($"\"{script}\""), "config.setup_script");

        Assert.Contains("at most 65,536 bytes", message, StringComparison.Ordinal);
    }

    [Fact]
    public void ParseCreate_SetupScriptLimit_CountsUtf8Bytes()
    {
        // 32,769 two-byte characters: well under the limit in characters, over it in bytes.
        var script = new string('é', 32_769);

        var message = AssertRefused(CreateWith($"\"{script}\""), "config.setup_script");

        Assert.Contains("got 65,538", message, StringComparison.Ordinal);
    }
}
