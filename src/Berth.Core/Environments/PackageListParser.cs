using System.Text.Json;
using Berth.Core.Validation;

namespace Berth.Core.Environments;

/// <summary>Reads and validates one manager's list of package specs.</summary>
internal static class PackageListParser
{
    public static Validated<IReadOnlyList<string>?> Parse(
        JsonElement packages,
        PackageManager manager,
        string parentParam)
    {
        var name = PackageManagerNames.ToWire(manager);
        var param = $"{parentParam}.{name}";
        if (!JsonFields.TryGetPresent(packages, name, out var array))
        {
            return Validated<IReadOnlyList<string>?>.Success(null);
        }

        if (array.ValueKind != JsonValueKind.Array)
        {
            return JsonFields.WrongType(param, $"an array of {name} package specs (strings)", array);
        }

        var count = array.GetArrayLength();
        if (count > EnvironmentLimits.PackagesPerManagerMaxCount)
        {
            return new ValidationError(
                param,
                $"{param} must have at most {EnvironmentLimits.PackagesPerManagerMaxCount} packages; got {count}.");
        }

        return ReadSpecs(array, manager, param);
    }

    private static Validated<IReadOnlyList<string>?> ReadSpecs(
        JsonElement array,
        PackageManager manager,
        string param)
    {
        var specs = new List<string>(array.GetArrayLength());
        foreach (var item in array.EnumerateArray())
        {
            var spec = ReadSpec(item, manager, $"{param}[{specs.Count}]");
            if (!spec.IsValid)
            {
                return spec.Error;
            }

            specs.Add(spec.Value);
        }

        return specs;
    }

    private static Validated<string> ReadSpec(JsonElement item, PackageManager manager, string param)
    {
        var text = JsonFields.ReadString(item, param);
        if (!text.IsValid || PackageSpecs.IsValid(manager, text.Value, out var problem))
        {
            return text;
        }

        return new ValidationError(
            param,
            $"{param} {Quoting.Quote(text.Value)} is not a valid {PackageManagerNames.ToWire(manager)} "
                + $"package: {problem}. Accepted: {PackageSpecs.Accepted(manager)}.");
    }
}
