using System.Text.Json;
using Berth.Core.Validation;

namespace Berth.Core.Environments;

/// <summary>Reads and validates <c>config.packages</c>: arrays of specs under apt, pip and npm.</summary>
internal static class PackagesParser
{
    private const string Param = "config.packages";

    // Some clients send the object tagged with its kind; the tag carries nothing, so it is not stored.
    private const string TypeMarker = "packages";

    public static Validated<PackagesConfig?> Parse(JsonElement config)
    {
        if (!JsonFields.TryGetPresent(config, "packages", out var packages))
        {
            return Validated<PackagesConfig?>.Success(null);
        }

        if (packages.ValueKind != JsonValueKind.Object)
        {
            return JsonFields.WrongType(
                Param, $"an object with arrays under {PackageManagerNames.Supported}", packages);
        }

        var keysError = CheckKeys(packages);
        if (keysError is not null)
        {
            return keysError;
        }

        return ReadLists(packages);
    }

    // Unlike elsewhere in config, an unknown key here is refused: it is most likely a package
    // manager the client expects to be installed from, and silently installing nothing would hide that.
    private static ValidationError? CheckKeys(JsonElement packages)
    {
        foreach (var property in packages.EnumerateObject())
        {
            var key = JsonFields.ReadName(property, Param);
            if (!key.IsValid)
            {
                return key.Error;
            }

            var error = key.Value == "type" ? CheckTypeMarker(property.Value) : CheckManager(key.Value);
            if (error is not null)
            {
                return error;
            }
        }

        return null;
    }

    private static ValidationError? CheckTypeMarker(JsonElement value)
    {
        const string param = Param + ".type";
        var isMarker = value.ValueKind == JsonValueKind.String && value.ValueEquals(TypeMarker);
        if (isMarker || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return new ValidationError(param, $"{param} must be \"{TypeMarker}\" when it is sent, or left out.");
    }

    private static ValidationError? CheckManager(string key)
    {
        if (PackageManagerNames.TryParse(key, out _))
        {
            return null;
        }

        var param = $"{Param}.{key}";

        return new ValidationError(
            param,
            $"{Quoting.Quote(key)} is not a supported package manager; {Param} accepts "
                + $"{PackageManagerNames.Supported}.");
    }

    private static Validated<PackagesConfig?> ReadLists(JsonElement packages)
    {
        var lists = new Dictionary<PackageManager, IReadOnlyList<string>?>();
        foreach (var manager in PackageManagerNames.All)
        {
            var list = PackageListParser.Parse(packages, manager, Param);
            if (!list.IsValid)
            {
                return list.Error;
            }

            lists[manager] = list.Value;
        }

        return new PackagesConfig(lists[PackageManager.Apt], lists[PackageManager.Pip], lists[PackageManager.Npm]);
    }
}
