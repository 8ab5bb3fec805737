using System.Text.Json;
using Berth.Core.Validation;

namespace Berth.Core.Environments;

/// <summary>Reads and validates <c>config.networking.allowed_hosts</c> against the networking type.</summary>
internal static class AllowedHostsParser
{
    private const string Example = "send at least one host pattern, such as [\"example.com\"].";

    public static Validated<IReadOnlyList<string>?> Parse(
        JsonElement networking,
        NetworkingType type,
        string param,
        string typeParam)
    {
        var typeName = NetworkingTypeNames.ToWire(type);
        if (!JsonFields.TryGetPresent(networking, "allowed_hosts", out var value))
        {
            return type == NetworkingType.AllowedHosts
                ? new ValidationError(param, $"{param} is required when {typeParam} is {typeName}; {Example}")
                : Validated<IReadOnlyList<string>?>.Success(null);
        }

        if (type == NetworkingType.Unrestricted)
        {
            return new ValidationError(
                param,
                $"{param} is not allowed when {typeParam} is {typeName}; use limited or allowed_hosts "
                    + "to restrict egress to listed hosts.");
        }

        if (value.ValueKind != JsonValueKind.Array)
        {
            return JsonFields.WrongType(param, "an array of host patterns such as [\"example.com\"]", value);
        }

        return ReadPatterns(value, type, param, typeParam);
    }

    private static Validated<IReadOnlyList<string>?> ReadPatterns(
        JsonElement array,
        NetworkingType type,
        string param,
        string typeParam)
    {
        var count = array.GetArrayLength();
        if (count == 0 && type == NetworkingType.AllowedHosts)
        {
            return new ValidationError(
                param,
                $"{param} must not be empty when {typeParam} is {NetworkingTypeNames.AllowedHosts}; {Example}");
        }

        if (count > EnvironmentLimits.HostPatternsMaxCount)
        {
            return new ValidationError(
                param,
                $"{param} must have at most {EnvironmentLimits.HostPatternsMaxCount} host patterns; got {count}.");
        }

        var patterns = new List<string>(count);
        foreach (var item in array.EnumerateArray())
        {
            var pattern = ReadPattern(item, $"{param}[{patterns.Count}]");
            if (!pattern.IsValid)
            {
                return pattern.Error;
            }

            patterns.Add(pattern.Value);
        }

        return patterns;
    }

    private static Validated<string> ReadPattern(JsonElement item, string param)
    {
        var text = JsonFields.ReadString(item, param);
        if (!text.IsValid || HostPatterns.IsValid(text.Value, out var problem))
        {
            return text;
        }

        return new ValidationError(
            param,
            $"{param} {Quoting.Quote(text.Value)} is not a valid host pattern: {problem}. "
                + $"Accepted: {HostPatterns.Accepted}.");
    }
}
