using System.Text.Json;
using Berth.Core.Validation;

namespace Berth.Core.Environments;

/// <summary>Validates environment create and update request bodies and applies updates.</summary>
/// <remarks>
/// Fields are checked in the order name, description, metadata, config, and the first problem
/// is returned. Unknown fields are ignored, and a JSON null counts as an omitted field. Metadata
/// values that are null or <c>""</c> are never stored: on update they delete their key, and on
/// create they are dropped, so the same body gives the same metadata either way.
/// </remarks>
public static class EnvironmentRequests
{
    /// <summary>Validates a create body into the fields to store.</summary>
    public static Validated<EnvironmentDraft> ParseCreate(JsonElement body)
    {
        var fields = ParseFields(body, isCreate: true);
        if (!fields.IsValid)
        {
            return fields.Error;
        }

        var (name, description, metadata) = fields.Value;

        if (!JsonFields.TryGetPresent(body, ConfigParser.Param, out var configBody))
        {
            return JsonFields.Missing(ConfigParser.Param);
        }

        var config = ConfigParser.Parse(configBody);
        if (!config.IsValid)
        {
            return config.Error;
        }

        var stored = MetadataParser.Merge(new Dictionary<string, string>(), metadata);
        var countError = MetadataParser.CheckCount(stored, isUpdate: false);
        if (countError is not null)
        {
            return countError;
        }

        // ParseFields has already refused a create without a name.
        return new EnvironmentDraft(name!, description ?? "", config.Value, stored);
    }

    /// <summary>Validates an update body; <see cref="Apply"/> then merges it with the stored fields.</summary>
    public static Validated<EnvironmentPatch> ParseUpdate(JsonElement body)
    {
        var fields = ParseFields(body, isCreate: false);
        if (!fields.IsValid)
        {
            return fields.Error;
        }

        var (name, description, metadata) = fields.Value;
        if (!JsonFields.TryGetPresent(body, ConfigParser.Param, out var configBody))
        {
            return new EnvironmentPatch(name, description, null, metadata);
        }

        var config = ConfigParser.Parse(configBody);
        if (!config.IsValid)
        {
            return config.Error;
        }

        var (networking, packages, script) = config.Value;

        return new EnvironmentPatch(name, description, new ConfigPatch(networking, packages, script), metadata);
    }

    /// <summary>
    /// The stored fields after <paramref name="patch"/>; refused when the merged metadata would
    /// exceed the key limit.
    /// </summary>
    public static Validated<EnvironmentDraft> Apply(EnvironmentDraft current, EnvironmentPatch patch)
    {
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(patch);

        var metadata = MetadataParser.Merge(current.Metadata, patch.Metadata);
        var countError = MetadataParser.CheckCount(metadata, isUpdate: true);
        if (countError is not null)
        {
            return countError;
        }

        return new EnvironmentDraft(
            patch.Name ?? current.Name,
            patch.Description ?? current.Description,
            patch.Config?.ApplyTo(current.Config) ?? current.Config,
            metadata);
    }

    /// <summary>Reads the fields create and update share; on create the name is required.</summary>
    private static Validated<CommonFields> ParseFields(JsonElement body, bool isCreate)
    {
        if (body.ValueKind != JsonValueKind.Object)
        {
            return new ValidationError(
                null,
                $"The request body must be a JSON object; got {JsonFields.Describe(body.ValueKind)}.");
        }

        var name = EnvironmentFields.ReadName(body);
        if (!name.IsValid)
        {
            return name.Error;
        }

        if (isCreate && name.Value is null)
        {
            return JsonFields.Missing(EnvironmentFields.NameParam);
        }

        var description = EnvironmentFields.ReadDescription(body);
        if (!description.IsValid)
        {
            return description.Error;
        }

        var metadata = MetadataParser.ParsePatch(body);
        if (!metadata.IsValid)
        {
            return metadata.Error;
        }

        return new CommonFields(name.Value, description.Value, metadata.Value);
    }

    private sealed record CommonFields(
        string? Name,
        string? Description,
        IReadOnlyDictionary<string, string?>? Metadata);
}
