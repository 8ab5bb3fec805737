using System.Text;
using System.Text.Json;
using Berth.Api.Tests.Fixtures;
using CsCheck;
using Xunit.Abstractions;

namespace Berth.Api.Tests.Properties;

/// <summary>
/// Generated and mutated create and update bodies against a real server. On failure CsCheck prints the
/// seed of the smallest failing case; set CsCheck_Seed to it to replay that case first.
/// </summary>
public sealed class EnvironmentBodyProperties(ApiServer server, ITestOutputHelper output) : IClassFixture<ApiServer>
{
    // About 1 create and 5 updates per case: well over 5,000 bodies.
    private const int Cases = 1_000;
    private const int MinimumBodies = 5_000;
    private const int Clients = 4;

    [Fact]
    public async Task CreateAndUpdate_GeneratedBodies_AnswerCleanlyAndKeepTheStoreConsistent()
    {
        using var client = await server.NewClientAsync();
        var ledger = new Ledger();
        var runner = new CaseRunner(client, ledger);

        await RequestGen.Case.SampleAsync(runner.RunAsync, output.WriteLine, iter: Cases, threads: Clients, print: Print);

        output.WriteLine(ledger.Summary());
        Assert.True(ledger.Bodies >= MinimumBodies, $"Only {ledger.Bodies} bodies were sent.");
        AssertBothOutcomesAreCommon(ledger, "create", 201);
        AssertBothOutcomesAreCommon(ledger, "update", 200);
        var listed = await ListAllAsync(client);
        Assert.Equal(listed.Select(e => e.Id).Order(StringComparer.Ordinal).Reverse(), listed.Select(e => e.Id));
        Assert.Equal(ledger.Environments.Keys.Order(StringComparer.Ordinal), listed.Select(e => e.Id).Order(StringComparer.Ordinal));
        Assert.All(listed, e => Assert.Equal(ledger.Environments[e.Id], e.Text));
    }

    // A generator that makes only garbage, or only valid bodies, would pass every property and prove little.
    private static void AssertBothOutcomesAreCommon(Ledger ledger, string kind, int success)
    {
        var accepted = ledger.Statuses(kind, success);
        var refused = ledger.Statuses(kind, 400);
        Assert.True(accepted >= 300 && refused >= 300, $"Too few {kind}s of one outcome: {ledger.Summary()}");
    }

    private static async Task<List<(string Id, string Text)>> ListAllAsync(HttpClient client)
    {
        var listed = new List<(string, string)>();
        string? after = null;
        for (var page = 0; page < 100; page++)
        {
            var path = "/v1/environments?include_archived=true&limit=100" + (after is null ? "" : $"&after_id={after}");
            var call = await ApiCall.SendAsync(client, "GET", path, null, CancellationToken.None);
            ResponseChecks.Check(call.Status == 200, call, "the list cannot be fetched");
            using var document = JsonDocument.Parse(call.Bytes);
            var root = document.RootElement;
            foreach (var item in root.GetProperty("data").EnumerateArray())
            {
                ResponseChecks.Environment(item, call);
                listed.Add((item.GetProperty("id").GetString()!, item.GetRawText()));
            }

            if (!root.GetProperty("has_more").GetBoolean())
            {
                return listed;
            }

            after = root.GetProperty("next_page").GetString();
        }

        Assert.Fail("The list did not end within 100 pages.");
        return listed;
    }

    private static string Print(PropertyCase story)
    {
        var text = new StringBuilder($"prefix {story.Prefix}, archive before update {story.ArchiveBefore}");
        Append(text, "create", story.Create);
        Append(text, "fallback create", story.Fallback);
        foreach (var update in story.Updates)
        {
            Append(text, $"{update.Method} update", update.Body);
        }

        return text.ToString();
    }

    private static void Append(StringBuilder text, string label, RequestBody body) =>
        text.AppendLine().Append($"{label}: expecting {body.Meaning}; mutations: ")
            .Append(body.Notes.IsEmpty ? "none" : string.Join("; ", body.Notes))
            .AppendLine().Append($"  {body.Bytes.Length} bytes: {ApiCall.Preview(body.Bytes, 300)}");
}
