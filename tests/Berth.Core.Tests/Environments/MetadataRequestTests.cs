using Berth.Core.Environments;
using Berth.Core.Validation;
using static Berth.Core.Tests.Environments.RequestBodies;

namespace Berth.Core.Tests.Environments;

public sealed class MetadataRequestTests
{
    private static Validated<EnvironmentDraft> CreateWith(string metadata) =>
        EnvironmentRequests.ParseCreate(Parse($$"""{"name":"env","metadata":{{metadata}},"config":{"type":"cloud"} }"""));

    private static string ObjectOf(int count) =>
        "{" + string.Join(",", Enumerable.Range(0, count).Select(i => $"\"k{i}\":\"v{i}\"")) + "}";

    [Fact]
    public void ParseCreate_Metadata_KeepsEntriesInOrder()
    {
        var draft = AssertAccepted(CreateWith("""{"b":"2","a":"1","c":"3"}"""));

        Assert.Equal(["b", "a", "c"], draft.Metadata.Keys);
        Assert.Equal(["2", "1", "3"], draft.Metadata.Values);
    }

    [Fact]
    public void ParseCreate_NullMetadata_DefaultsToEmpty()
    {
        var draft = AssertAccepted(CreateWith("null"));

        Assert.Empty(draft.Metadata);
    }

    [Theory]
    [InlineData("[]")]
    [InlineData("\"a=b\"")]
    [InlineData("1")]
    public void ParseCreate_MetadataNotAnObject_FailsOnMetadata(string metadata)
    {
        var message = AssertRefused(CreateWith(metadata), "metadata");

        Assert.Contains("metadata must be an object", message, StringComparison.Ordinal);
    }

    [Fact]
    public void ParseCreate_Metadata16Keys_IsAccepted()
    {
        var draft = AssertAccepted(CreateWith(ObjectOf(16)));

        Assert.Equal(16, draft.Metadata.Count);
    }

    [Fact]
    public void ParseCreate_Metadata17Keys_FailsOnMetadata()
    {
        var message = AssertRefused(CreateWith(ObjectOf(17)), "metadata");

        Assert.Contains("at most 16 keys; got 17", message, StringComparison.Ordinal);
    }

    [Fact]
    public void ParseCreate_MetadataEmptyKey_FailsOnMetadata()
    {
        var message = AssertRefused(CreateWith("""{"":"v"}"""), "metadata");

        Assert.Contains("1 to 64 characters; got an empty key", message, StringComparison.Ordinal);
    }

    [Fact]
    public void ParseCreate_MetadataKeyOf64Characters_IsAccepted()
    {
        var key = new string('k', 64);

        var draft = AssertAccepted(CreateWith($$"""{"{{key}}":"v"}"""));

        Assert.Equal("v", draft.Metadata[key]);
    }

    [Fact]
    public void ParseCreate_MetadataKeyOf65Characters_FailsOnMetadata()
    {
        var key = new string('k', 65);

        var message = AssertRefused(CreateWith($$"""{"{{key}}":"v"}"""), "metadata");

        Assert.Contains("with 65 characters", message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("1")]
    [InlineData("true")]
    [InlineData("{}")]
    [InlineData("[\"v\"]")]
    public void ParseCreate_MetadataValueNotAString_FailsOnThatKey(string value)
    {
        var message = AssertRefused(CreateWith($$"""{"team":{{value}}}"""), "metadata.team");

        Assert.Contains("metadata.team must be a string", message, StringComparison.Ordinal);
    }

    [Fact]
    public void ParseCreate_MetadataValueOf512Characters_IsAccepted()
    {
        var value = new string('v', 512);

        var draft = AssertAccepted(CreateWith($$"""{"team":"{{value}}"}"""));

        Assert.Equal(value, draft.Metadata["team"]);
    }

    [Fact]
    public void ParseCreate_MetadataValueOf513Characters_FailsOnThatKey()
    {
        var value = new string('v', 513);

        var message = AssertRefused(CreateWith($$"""{"team":"{{value}}"}"""), "metadata.team");

        Assert.Contains("at most 512 characters; got 513", message, StringComparison.Ordinal);
    }

    [Fact]
    public void ParseCreate_MetadataNullOrEmptyValues_AreNotStored()
    {
        var draft = AssertAccepted(CreateWith("""{"a":null,"b":"","c":"kept"}"""));

        Assert.Equal(["c"], draft.Metadata.Keys);
    }

    [Fact]
    public void ParseCreate_MetadataKeyWithUnpairedSurrogate_FailsOnMetadata()
    {
        var message = AssertRefused(CreateWith("""{"\udc00":"v"}"""), "metadata");

        Assert.Contains("valid Unicode", message, StringComparison.Ordinal);
    }

    [Fact]
    public void ParseUpdate_MetadataNullAndEmpty_BecomeDeletions()
    {
        var body = Parse("""{"metadata":{"gone":null,"also_gone":"","set":"v"}}""");

        var patch = AssertAccepted(EnvironmentRequests.ParseUpdate(body));

        Assert.NotNull(patch.Metadata);
        Assert.Null(patch.Metadata["gone"]);
        Assert.Null(patch.Metadata["also_gone"]);
        Assert.Equal("v", patch.Metadata["set"]);
    }

    [Fact]
    public void ParseUpdate_MetadataOver16Keys_IsLeftForApplyToJudge()
    {
        // Most of these may be deletions of existing keys; only the merged result is limited.
        var body = Parse($$"""{"metadata":{{ObjectOf(20)}}}""");

        var patch = AssertAccepted(EnvironmentRequests.ParseUpdate(body));

        Assert.Equal(20, patch.Metadata!.Count);
    }

    [Fact]
    public void ParseUpdate_MetadataValueTooLong_FailsOnThatKey()
    {
        var body = Parse($$$"""{"metadata":{"team":"{{{new string('v', 513)}}}"}}""");

        AssertRefused(EnvironmentRequests.ParseUpdate(body), "metadata.team");
    }
}
