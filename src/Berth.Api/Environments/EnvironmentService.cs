using System.Text.Json;
using Berth.Api.Auth;
using Berth.Api.Builds;
using Berth.Core;
using Berth.Core.Environments;
using Berth.Core.Ids;
using Berth.Storage;

namespace Berth.Api.Environments;

/// <summary>The environment operations behind the routes: drafts become rows, patches become versions.</summary>
public sealed class EnvironmentService(EnvironmentStore store, BuildCoordinator builds, TimeProvider time)
{
    public async Task<StoredEnvironment> CreateAsync(Caller caller, EnvironmentDraft draft, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(draft);
        var now = Now();
        var environment = new StoredEnvironment(
            IdGenerator.Shared.Next(IdPrefixes.Environment),
            caller.Account,
            draft.Name,
            draft.Description,
            draft.Config.ToJson(),
            MetadataJson(draft.Metadata),
            Version: 1,
            ArchivedAt: null,
            now,
            now);
        await store.InsertAsync(environment, cancellationToken);
        await builds.RequestAsync(environment.Id, draft.Config, noCache: false, cancellationToken);

        return environment;
    }

    public async Task<bool> ExistsAsync(Caller caller, string id, CancellationToken cancellationToken) =>
        await store.GetAsync(caller.Account, id, cancellationToken) is not null;

    public async Task<Mutation<StoredEnvironment>> UpdateAsync(
        Caller caller, string id, EnvironmentPatch patch, CancellationToken cancellationToken)
    {
        var configChanged = false;
        var outcome = await store.UpdateAsync(caller.Account, id, current =>
        {
            var next = Change(current, id, patch);
            configChanged = next.Value is { } changed && changed.ConfigJson != current.ConfigJson;

            return next;
        }, cancellationToken);
        if (configChanged && outcome.Status == MutationStatus.Done)
        {
            var config = EnvironmentConfig.FromJson(outcome.Value!.ConfigJson);
            await builds.RequestAsync(id, config, noCache: false, cancellationToken);
        }

        return outcome;
    }

    public Task<Mutation<StoredEnvironment>> ArchiveAsync(Caller caller, string id, CancellationToken cancellationToken) =>
        store.UpdateAsync(caller.Account, id, current =>
        {
            if (current.IsArchived)
            {
                return Mutation<StoredEnvironment>.Conflict($"Environment {id} is already archived.");
            }

            var now = Now();
            return Mutation<StoredEnvironment>.Done(current with { ArchivedAt = now, UpdatedAt = now });
        }, cancellationToken);

    public Task<Mutation<StoredEnvironment>> DeleteAsync(Caller caller, string id, CancellationToken cancellationToken) =>
        store.DeleteAsync(caller.Account, id, cancellationToken);

    private Mutation<StoredEnvironment> Change(StoredEnvironment current, string id, EnvironmentPatch patch)
    {
        if (current.IsArchived)
        {
            return Mutation<StoredEnvironment>.Conflict($"Environment {id} is archived and can no longer be changed.");
        }

        var applied = EnvironmentRequests.Apply(ToDraft(current), patch);
        if (!applied.IsValid)
        {
            return Mutation<StoredEnvironment>.Invalid(applied.Error);
        }

        var draft = applied.Value;
        return Mutation<StoredEnvironment>.Done(current with
        {
            Name = draft.Name,
            Description = draft.Description,
            ConfigJson = draft.Config.ToJson(),
            MetadataJson = MetadataJson(draft.Metadata),
            UpdatedAt = Now(),
        });
    }

    private static EnvironmentDraft ToDraft(StoredEnvironment environment) => new(
        environment.Name,
        environment.Description,
        EnvironmentConfig.FromJson(environment.ConfigJson),
        JsonSerializer.Deserialize(environment.MetadataJson, MetadataJsonContext.Default.DictionaryStringString) ?? []);

    private static string MetadataJson(IReadOnlyDictionary<string, string> metadata) =>
        JsonSerializer.Serialize(metadata.ToDictionary(), MetadataJsonContext.Default.DictionaryStringString);

    private DateTimeOffset Now() => Timestamps.TruncateToMicroseconds(time.GetUtcNow());
}

[System.Text.Json.Serialization.JsonSerializable(typeof(Dictionary<string, string>))]
internal sealed partial class MetadataJsonContext : System.Text.Json.Serialization.JsonSerializerContext;
