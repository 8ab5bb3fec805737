using System.Text.Json;
using Berth.Core.Validation;

namespace Berth.Core.Environments;

/// <summary>Reads and validates <c>config.networking</c>.</summary>
internal static class NetworkingParser
{
    private const string Param = "config.networking";
    private const string TypeParam = Param + ".type";
    private const string HostsParam = Param + ".allowed_hosts";

    public static Validated<NetworkingConfig?> Parse(JsonElement config)
    {
        if (!JsonFields.TryGetPresent(config, "networking", out var networking))
        {
            return Validated<NetworkingConfig?>.Success(null);
        }

        if (networking.ValueKind != JsonValueKind.Object)
        {
            return JsonFields.WrongType(Param, "an object such as {\"type\":\"unrestricted\"}", networking);
        }

        var type = ReadType(networking);
        if (!type.IsValid)
        {
            return type.Error;
        }

        return ReadRest(networking, type.Value);
    }

    private static Validated<NetworkingConfig?> ReadRest(JsonElement networking, NetworkingType type)
    {
        var hosts = AllowedHostsParser.Parse(networking, type, HostsParam, TypeParam);
        if (!hosts.IsValid)
        {
            return hosts.Error;
        }

        var packageManagers = ReadLimitedOnlyFlag(networking, "allow_package_managers", type);
        if (!packageManagers.IsValid)
        {
            return packageManagers.Error;
        }

        var mcpServers = ReadLimitedOnlyFlag(networking, "allow_mcp_servers", type);
        if (!mcpServers.IsValid)
        {
            return mcpServers.Error;
        }

        return new NetworkingConfig(type, hosts.Value, packageManagers.Value, mcpServers.Value);
    }

    private static Validated<NetworkingType> ReadType(JsonElement networking)
    {
        if (!JsonFields.TryGetPresent(networking, "type", out var value))
        {
            return JsonFields.Missing(TypeParam);
        }

        var text = JsonFields.ReadString(value, TypeParam);
        if (!text.IsValid)
        {
            return text.Error;
        }

        if (!NetworkingTypeNames.TryParse(text.Value, out var type))
        {
            return new ValidationError(
                TypeParam,
                $"{TypeParam} must be one of unrestricted, limited or allowed_hosts (allowlist is accepted "
                    + $"as a synonym of allowed_hosts); got {Quoting.Quote(text.Value)}.");
        }

        return type;
    }

    // The flags widen a limited policy only; sent with any other type, even false suggests the
    // client misunderstands the policy, so the contract refuses it instead of ignoring it.
    private static Validated<bool?> ReadLimitedOnlyFlag(JsonElement networking, string name, NetworkingType type)
    {
        var param = $"{Param}.{name}";
        if (!JsonFields.TryGetPresent(networking, name, out var value))
        {
            return Validated<bool?>.Success(null);
        }

        if (type != NetworkingType.Limited)
        {
            return new ValidationError(
                param,
                $"{param} is only allowed when {TypeParam} is limited; got it with "
                    + $"{NetworkingTypeNames.ToWire(type)}. Leave it out, or use limited.");
        }

        var flag = JsonFields.ReadBoolean(value, param);

        return flag.IsValid ? flag.Value : flag.Error;
    }
}
