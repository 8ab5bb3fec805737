using System.Text.Json.Nodes;

namespace Berth.Api.Tests.Properties;

/// <summary>What the contract says a generated body must lead to, as far as the generator knows.</summary>
internal abstract record Meaning
{
    public Meaning After(Effect effect) => effect.Kind switch
    {
        EffectKind.Preserve => this,
        EffectKind.Unparsable => new Refused(null, BeforeAnyField: true),

        // A body that cannot be parsed or is not an object fails before any field is read.
        _ when this is Refused { BeforeAnyField: true } => this,
        EffectKind.Refuse when this is CreateAccepted or UpdateAccepted => new Refused(effect.Param),
        _ => Unpredictable.Instance,
    };
}

/// <summary>A valid create body: 201 with exactly these fields.</summary>
internal sealed record CreateAccepted(ExpectedEnvironment Expected) : Meaning
{
    public override string ToString() => "201 with the fields sent";
}

/// <summary>A valid update body: what happens depends on the environment it is applied to.</summary>
internal sealed record UpdateAccepted(PatchModel Patch) : Meaning
{
    public override string ToString() => "200 with the patch applied (409 when archived)";
}

/// <summary>
/// 400 <c>invalid_request_error</c> naming <paramref name="Param"/>, or naming nothing when null.
/// <paramref name="BeforeAnyField"/>: the body is not a JSON object at all, which no later change to
/// its fields can mend.
/// </summary>
internal sealed record Refused(string? Param, bool BeforeAnyField = false) : Meaning
{
    public override string ToString() => $"400 naming {Param ?? "no param"}";
}

/// <summary>Any clean answer: 2xx or a 4xx with the error envelope.</summary>
internal sealed record Unpredictable : Meaning
{
    public static readonly Unpredictable Instance = new();

    public override string ToString() => "any clean answer";
}

internal enum EffectKind
{
    /// <summary>The server must answer as before: the change is to something it ignores.</summary>
    Preserve,

    /// <summary>The one defect in an otherwise valid body: a 400 naming the param.</summary>
    Refuse,

    /// <summary>The body is no longer a JSON object, or no longer JSON.</summary>
    Unparsable,

    /// <summary>The outcome now depends on details the generator does not model.</summary>
    Scramble,
}

/// <summary>How a mutation changes what a body means.</summary>
internal sealed record Effect(EffectKind Kind, string? Param = null)
{
    public static readonly Effect Preserve = new(EffectKind.Preserve);

    public static readonly Effect Unparsable = new(EffectKind.Unparsable);

    public static readonly Effect Scramble = new(EffectKind.Scramble);

    /// <summary>A refusal of the whole body, naming no field.</summary>
    public static readonly Effect RefuseBody = new(EffectKind.Refuse);

    public static Effect Refuse(string param) => new(EffectKind.Refuse, param);
}

/// <summary>
/// The client-controlled fields a valid create body must produce; <c>Metadata</c> is as sent, and its
/// null and <c>""</c> values are dropped.
/// </summary>
internal sealed record ExpectedEnvironment(
    string Name,
    string Description,
    IReadOnlyList<KeyValuePair<string, string?>> Metadata,
    JsonObject Config);

/// <summary>
/// A valid update body: null members are kept; metadata is a patch; <c>Description</c> is <c>""</c> also
/// for an explicit null.
/// </summary>
internal sealed record PatchModel(
    string? Name,
    string? Description,
    IReadOnlyList<KeyValuePair<string, string?>>? Metadata,
    ConfigChange? Config);

/// <summary>The parts of config an update replaces, in their stored form; null parts are kept.</summary>
internal sealed record ConfigChange(JsonObject? Networking, JsonObject? Packages, string? SetupScript);

internal static class MetadataModel
{
    public const int MaxKeys = 16;

    /// <summary>Applies a metadata patch: a null or <c>""</c> value deletes its key.</summary>
    public static Dictionary<string, string> Merge(
        IEnumerable<KeyValuePair<string, string>> current, IEnumerable<KeyValuePair<string, string?>> patch)
    {
        var merged = new Dictionary<string, string>(current, StringComparer.Ordinal);
        foreach (var (key, value) in patch)
        {
            if (string.IsNullOrEmpty(value))
            {
                merged.Remove(key);
            }
            else
            {
                merged[key] = value;
            }
        }

        return merged;
    }
}
