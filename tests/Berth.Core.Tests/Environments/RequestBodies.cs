using System.Text.Json;
using Berth.Core.Validation;

namespace Berth.Core.Tests.Environments;

/// <summary>Builds request bodies and checks refusals, so each test shows only what it varies.</summary>
internal static class RequestBodies
{
    public static JsonElement Parse(string json)
    {
        using var document = JsonDocument.Parse(json);

        return document.RootElement.Clone();
    }

    /// <summary>A create body with a valid name and the given config object.</summary>
    public static JsonElement WithConfig(string config) =>
        Parse($$"""{"name":"env","config":{{config}}}""");

    /// <summary>A create body whose config has the given networking value.</summary>
    public static JsonElement WithNetworking(string networking) =>
        WithConfig($$"""{"type":"cloud","networking":{{networking}}}""");

    /// <summary>A create body whose config has the given packages value.</summary>
    public static JsonElement WithPackages(string packages) =>
        WithConfig($$"""{"type":"cloud","packages":{{packages}}}""");

    /// <summary>A JSON array of <paramref name="count"/> strings made by <paramref name="item"/>.</summary>
    public static string ArrayOf(int count, Func<int, string> item) =>
        JsonSerializer.Serialize(Enumerable.Range(0, count).Select(item).ToArray());

    /// <summary>Asserts a refusal naming <paramref name="param"/> and returns its message.</summary>
    public static string AssertRefused<T>(Validated<T> result, string? param)
    {
        Assert.False(result.IsValid, "Expected a refusal but the input was accepted.");
        Assert.Equal(param, result.Error.Param);

        return result.Error.Message;
    }

    public static T AssertAccepted<T>(Validated<T> result)
    {
        Assert.True(result.IsValid, $"Expected acceptance but got: {result.Error?.Param}: {result.Error?.Message}");

        return result.Value;
    }
}
