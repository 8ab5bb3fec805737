using System.Collections.Concurrent;
using System.Text.Json;

namespace Berth.Api.Tests.Properties;

/// <summary>What the property test learned across all cases: every environment made, and what was sent.</summary>
internal sealed class Ledger
{
    private readonly ConcurrentDictionary<string, int> _statuses = new();
    private int _bodies;

    /// <summary>Each environment that got a 201, with the text of its last GET.</summary>
    public ConcurrentDictionary<string, string> Environments { get; } = new();

    public int Bodies => _bodies;

    public void Count(string kind, ApiCall call)
    {
        Interlocked.Increment(ref _bodies);
        _statuses.AddOrUpdate($"{kind} {call.Status}", 1, (_, n) => n + 1);
        var expectation = call.Body!.Meaning switch
        {
            Unpredictable => "no exact expectation",
            Refused => "an exact 400",
            _ => "an exact success",
        };
        _statuses.AddOrUpdate($"{kind} bodies with {expectation}", 1, (_, n) => n + 1);
    }

    public int Statuses(string kind, int status) => _statuses.GetValueOrDefault($"{kind} {status}");

    public string Summary() => string.Join(", ", _statuses.OrderBy(s => s.Key, StringComparer.Ordinal).Select(s => $"{s.Key}: {s.Value}"));
}

/// <summary>Plays one <see cref="PropertyCase"/> against the server and checks every answer against the contract.</summary>
internal sealed class CaseRunner(HttpClient client, Ledger ledger)
{
    private static readonly TimeSpan CaseTimeout = TimeSpan.FromSeconds(60);

    public async Task RunAsync(PropertyCase story)
    {
        using var timeout = new CancellationTokenSource(CaseTimeout);
        var cancellationToken = timeout.Token;
        var (id, state) = await CreateAsync(story, cancellationToken);
        var archived = false;
        for (var i = 0; i < story.Updates.Length; i++)
        {
            if (i == story.ArchiveBefore)
            {
                state = await ArchiveAsync(story.Prefix, id, cancellationToken);
                archived = true;
            }

            state = await UpdateAsync(story.Prefix, id, state, archived, story.Updates[i], cancellationToken);
        }

        ledger.Environments[id] = state;
    }

    private async Task<(string Id, string State)> CreateAsync(PropertyCase story, CancellationToken cancellationToken)
    {
        var path = $"{story.Prefix}/environments";
        var call = await ApiCall.SendAsync(client, "POST", path, story.Create, cancellationToken);
        ledger.Count("create", call);
        ResponseChecks.Clean(call);
        Expect(call, story.Create.Meaning switch
        {
            CreateAccepted => [201],
            Refused => [400],
            _ => [201, 400],
        });
        if (call.IsSuccess)
        {
            return await CreatedAsync(call, story.Prefix, cancellationToken);
        }

        var error = ResponseChecks.Error(call);
        if (story.Create.Meaning is Refused refused)
        {
            ResponseChecks.Check(error.Param == refused.Param, call, $"the error names {error.Param ?? "nothing"}");
        }

        var fallback = await ApiCall.SendAsync(client, "POST", path, story.Fallback, cancellationToken);
        ledger.Count("create", fallback);
        ResponseChecks.Clean(fallback);
        Expect(fallback, [201]);

        return await CreatedAsync(fallback, story.Prefix, cancellationToken);
    }

    private async Task<(string Id, string State)> CreatedAsync(ApiCall call, string prefix, CancellationToken cancellationToken)
    {
        var env = ResponseChecks.Environment(call);
        var id = env.GetProperty("id").GetString()!;
        ledger.Environments[id] = call.Text!;
        ResponseChecks.Check(call.Location == $"/v1/environments/{id}", call, $"Location is {call.Location}");
        ResponseChecks.Check(env.GetProperty("status").GetString() == "ready", call, "a new environment is not ready");
        ResponseChecks.Check(env.GetProperty("created_at").GetString() == env.GetProperty("updated_at").GetString(), call,
            "a new environment has updated_at apart from created_at");
        if (call.Body!.Meaning is CreateAccepted accepted)
        {
            ResponseChecks.Matches(env, accepted.Expected, call);
        }

        await ExpectStoredAsync(prefix, id, call.Text!, call, cancellationToken);

        return (id, call.Text!);
    }

    private async Task<string> ArchiveAsync(string prefix, string id, CancellationToken cancellationToken)
    {
        var call = await ApiCall.SendAsync(client, "POST", $"{prefix}/environments/{id}/archive", null, cancellationToken);
        ResponseChecks.Clean(call);
        Expect(call, [200]);
        var env = ResponseChecks.Environment(call);
        ResponseChecks.Check(env.GetProperty("status").GetString() == "archived", call, "the archived environment is not archived");
        await ExpectStoredAsync(prefix, id, call.Text!, call, cancellationToken);

        return call.Text!;
    }

    private async Task<string> UpdateAsync(
        string prefix, string id, string state, bool archived, UpdateRequest update, CancellationToken cancellationToken)
    {
        var call = await ApiCall.SendAsync(client, update.Method, $"{prefix}/environments/{id}", update.Body, cancellationToken);
        ledger.Count("update", call);
        ResponseChecks.Clean(call);
        using var before = JsonDocument.Parse(state);
        var expected = Expected(update.Body.Meaning, before.RootElement, archived);
        Expect(call, expected.Statuses);
        if (!call.IsSuccess)
        {
            var error = ResponseChecks.Error(call);
            ResponseChecks.Check(!expected.ChecksParam || error.Param == expected.Param, call,
                $"the error names {error.Param ?? "nothing"}");

            // A refused update must leave no trace, not even a new updated_at.
            await ExpectStoredAsync(prefix, id, state, call, cancellationToken);
            return state;
        }

        var env = ResponseChecks.Environment(call);
        ResponseChecks.Check(env.GetProperty("status").GetString() == "ready", call, "an updated environment is not ready");
        if (update.Body.Meaning is UpdateAccepted accepted)
        {
            ResponseChecks.Matches(env, before.RootElement, accepted.Patch, call);
        }

        await ExpectStoredAsync(prefix, id, call.Text!, call, cancellationToken);

        return call.Text!;
    }

    private static UpdateExpectation Expected(Meaning meaning, JsonElement before, bool archived) => meaning switch
    {
        UpdateAccepted when archived => new([409], ChecksParam: false, null),
        UpdateAccepted accepted when MergedKeys(before, accepted.Patch) > MetadataModel.MaxKeys =>
            new([400], ChecksParam: true, "metadata"),
        UpdateAccepted => new([200], ChecksParam: false, null),
        Refused refused => new([400], ChecksParam: true, refused.Param),
        _ => new(archived ? [400, 409] : [200, 400], ChecksParam: false, null),
    };

    private static int MergedKeys(JsonElement before, PatchModel patch) =>
        MetadataModel.Merge(ResponseChecks.Metadata(before), patch.Metadata ?? []).Count;

    private async Task ExpectStoredAsync(string prefix, string id, string expected, ApiCall cause, CancellationToken cancellationToken)
    {
        var get = await ApiCall.SendAsync(client, "GET", $"{prefix}/environments/{id}", null, cancellationToken);
        ResponseChecks.Clean(get);
        ResponseChecks.Check(get.Status == 200, get, "the environment cannot be fetched");
        ResponseChecks.Check(get.Text == expected, cause, $"a GET afterwards differs from what the store should hold: {Difference(expected, get.Text!)}");
    }

    private static string Difference(string expected, string fetched)
    {
        var at = expected.AsSpan().CommonPrefixLength(fetched);
        var start = Math.Max(0, at - 60);

        return $"from character {at},{System.Environment.NewLine}  expected …{Excerpt(expected, start)}"
            + $"{System.Environment.NewLine}  fetched  …{Excerpt(fetched, start)}";
    }

    private static string Excerpt(string text, int start) =>
        start >= text.Length ? "(end)" : text.Substring(start, Math.Min(160, text.Length - start));

    private static void Expect(ApiCall call, int[] statuses) =>
        ResponseChecks.Check(statuses.Contains(call.Status), call, $"expected {string.Join(" or ", statuses)}");
}

/// <summary>The statuses an update may get, and whether a 400 must name <paramref name="Param"/>.</summary>
internal sealed record UpdateExpectation(int[] Statuses, bool ChecksParam, string? Param);
