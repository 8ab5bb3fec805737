using System.Text.Json;
using Berth.Core.Validation;

namespace Berth.Core.Environments;

/// <summary>Reads and validates a <c>config</c> object, the same way on create and on update.</summary>
internal static class ConfigParser
{
    public const string Param = "config";
    private const string TypeParam = Param + ".type";
    private const string ScriptParam = Param + ".setup_script";

    public static Validated<EnvironmentConfig> Parse(JsonElement config)
    {
        if (config.ValueKind != JsonValueKind.Object)
        {
            return JsonFields.WrongType(Param, "an object such as {\"type\":\"cloud\"}", config);
        }

        var typeError = CheckType(config);
        if (typeError is not null)
        {
            return typeError;
        }

        var networking = NetworkingParser.Parse(config);
        if (!networking.IsValid)
        {
            return networking.Error;
        }

        var packages = PackagesParser.Parse(config);
        if (!packages.IsValid)
        {
            return packages.Error;
        }

        var script = ReadSetupScript(config);
        if (!script.IsValid)
        {
            return script.Error;
        }

        return new EnvironmentConfig(networking.Value, packages.Value, script.Value);
    }

    // On update the type is still required, so that a client cannot believe it changed the
    // type of an environment by sending some other value; "cloud" is the only type there is.
    private static ValidationError? CheckType(JsonElement config)
    {
        if (!JsonFields.TryGetPresent(config, "type", out var value))
        {
            return JsonFields.Missing(TypeParam);
        }

        var text = JsonFields.ReadString(value, TypeParam);
        if (!text.IsValid)
        {
            return text.Error;
        }

        return text.Value == EnvironmentConfig.CloudType
            ? null
            : new ValidationError(
                TypeParam,
                $"{TypeParam} must be \"{EnvironmentConfig.CloudType}\", the only environment type, "
                    + $"and cannot change; got {Quoting.Quote(text.Value)}.");
    }

    private static Validated<string?> ReadSetupScript(JsonElement config)
    {
        if (!JsonFields.TryGetPresent(config, "setup_script", out var value))
        {
            return Validated<string?>.Success(null);
        }

        var script = JsonFields.ReadString(value, ScriptParam);
        if (!script.IsValid)
        {
            return script.Error;
        }

        if (script.Value.Contains('\0', StringComparison.Ordinal))
        {
            return new ValidationError(ScriptParam, $"{ScriptParam} must not contain NUL characters, which no shell script can hold.");
        }

        var bytes = TextLength.Utf8Bytes(script.Value);
        if (bytes > EnvironmentLimits.SetupScriptMaxBytes)
        {
            return new ValidationError(
                ScriptParam,
                $"{ScriptParam} must be at most {EnvironmentLimits.SetupScriptMaxBytes:N0} bytes of UTF-8; "
                    + $"got {bytes:N0}.");
        }

        return script.Value;
    }
}
