using System.Text.Json;
using System.Text.RegularExpressions;
using Berth.Core.Environments;
using Berth.Core.Validation;

namespace Berth.Core.Sessions;

/// <summary>Reads <c>POST /v1/sessions</c> bodies.</summary>
public static partial class SessionRequests
{
    public static Validated<SessionDraft> ParseCreate(JsonElement body)
    {
        if (body.ValueKind != JsonValueKind.Object)
        {
            return new ValidationError(null, "The request body must be a JSON object.");
        }

        if (!JsonFields.TryGetPresent(body, "environment_id", out var environmentElement))
        {
            return new ValidationError("environment_id", "Missing required field: environment_id");
        }

        var environmentId = JsonFields.ReadString(environmentElement, "environment_id");
        var title = OptionalString(body, "title", SessionLimits.TitleMaxLength);
        var agent = OptionalString(body, "agent", SessionLimits.AgentMaxLength);
        var metadata = MetadataParser.ParsePatch(body);
        var variables = ReadVariables(body);
        var timeout = ReadTimeout(body);
        var resources = ReadResources(body);
        var firstError = environmentId.Error ?? title.Error ?? agent.Error ?? metadata.Error
            ?? variables.Error ?? timeout.Error ?? resources.Error;
        if (firstError is not null)
        {
            return firstError;
        }

        var kept = MetadataParser.Merge(new Dictionary<string, string>(), metadata.Value);
        if (MetadataParser.CheckCount(kept, isUpdate: false) is { } tooMany)
        {
            return tooMany;
        }

        return new SessionDraft(environmentId.Value, title.Value, kept, agent.Value, variables.Value, timeout.Value, resources.Value);
    }

    private static Validated<string?> OptionalString(JsonElement body, string name, int maxLength)
    {
        if (!JsonFields.TryGetPresent(body, name, out var element))
        {
            return Validated<string?>.Success(null);
        }

        var text = JsonFields.ReadString(element, name);
        if (!text.IsValid)
        {
            return text.Error;
        }

        return text.Value.Length > maxLength
            ? new ValidationError(name, $"{name} must be at most {maxLength} characters; got {text.Value.Length}.")
            : text.Value;
    }

    private static Validated<int> ReadTimeout(JsonElement body)
    {
        const string param = "timeout_seconds";
        if (!JsonFields.TryGetPresent(body, param, out var element))
        {
            return SessionLimits.DefaultTimeoutSeconds;
        }

        if (element.ValueKind != JsonValueKind.Number || !element.TryGetInt64(out var seconds))
        {
            return JsonFields.WrongType(param, "a whole number of seconds", element);
        }

        return seconds is < 1 or > SessionLimits.MaxTimeoutSeconds
            ? new ValidationError(param, $"{param} must be from 1 to {SessionLimits.MaxTimeoutSeconds}; got {seconds}.")
            : (int)seconds;
    }

    private static Validated<IReadOnlyDictionary<string, string>> ReadVariables(JsonElement body)
    {
        const string param = "environment_variables";
        if (!JsonFields.TryGetPresent(body, param, out var element))
        {
            return new Dictionary<string, string>();
        }

        var pairs = element.ValueKind switch
        {
            JsonValueKind.Object => ReadVariableObject(element),
            JsonValueKind.String => ReadVariableText(element.GetString()!),
            _ => JsonFields.WrongType(param, "an object of strings or a KEY=VALUE string", element),
        };
        if (!pairs.IsValid)
        {
            return pairs.Error;
        }

        return pairs.Value.Count > SessionLimits.MaxEnvironmentVariables
            ? new ValidationError(param, $"{param} may hold at most {SessionLimits.MaxEnvironmentVariables} variables.")
            : pairs;
    }

    private static Validated<IReadOnlyDictionary<string, string>> ReadVariableObject(JsonElement element)
    {
        var variables = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var property in element.EnumerateObject())
        {
            var param = $"environment_variables.{property.Name}";
            if (property.Value.ValueKind != JsonValueKind.String)
            {
                return JsonFields.WrongType(param, "a string", property.Value);
            }

            var problem = CheckVariable(property.Name, property.Value.GetString()!, param);
            if (problem is not null)
            {
                return problem;
            }

            variables[property.Name] = property.Value.GetString()!;
        }

        return variables;
    }

    private static Validated<IReadOnlyDictionary<string, string>> ReadVariableText(string text)
    {
        var variables = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var raw in text.Split([';', '\n'], StringSplitOptions.RemoveEmptyEntries))
        {
            var entry = raw.TrimEnd('\r').Trim();
            if (entry.Length == 0)
            {
                continue;
            }

            var equals = entry.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                return new ValidationError("environment_variables",
                    "environment_variables as text must be KEY=VALUE entries separated by ';' or newlines.");
            }

            var name = entry[..equals].Trim();
            var value = entry[(equals + 1)..];
            var problem = CheckVariable(name, value, "environment_variables");
            if (problem is not null)
            {
                return problem;
            }

            variables[name] = value;
        }

        return variables;
    }

    /// <summary>A variable's name and value as sessions and commands both accept them, or why not.</summary>
    internal static ValidationError? CheckVariable(string name, string value, string param)
    {
        if (!VariableName().IsMatch(name))
        {
            // The value is never echoed: it may be a secret.
            return new ValidationError(param, "Variable names must be letters, digits and _, not starting with a digit.");
        }

        return value.Length > SessionLimits.EnvironmentValueMaxLength || value.Contains('\0', StringComparison.Ordinal)
            ? new ValidationError(param, $"Variable values must be at most {SessionLimits.EnvironmentValueMaxLength} characters with no NUL.")
            : null;
    }

    private static Validated<SessionResources?> ReadResources(JsonElement body)
    {
        const string param = "resources";
        if (!JsonFields.TryGetPresent(body, param, out var element))
        {
            return Validated<SessionResources?>.Success(null);
        }

        if (element.ValueKind != JsonValueKind.Object)
        {
            return JsonFields.WrongType(param, "an object with memory_mb, cpus and pids", element);
        }

        var memory = PositiveNumber(element, "memory_mb");
        var cpus = PositiveNumber(element, "cpus");
        var pids = PositiveNumber(element, "pids");
        var error = memory.Error ?? cpus.Error ?? pids.Error;
        if (error is not null)
        {
            return error;
        }

        return new SessionResources((long?)memory.Value, cpus.Value, (long?)pids.Value);
    }

    private static Validated<double?> PositiveNumber(JsonElement parent, string name)
    {
        var param = $"resources.{name}";
        if (!JsonFields.TryGetPresent(parent, name, out var element))
        {
            return Validated<double?>.Success(null);
        }

        if (element.ValueKind != JsonValueKind.Number || !element.TryGetDouble(out var number) || number <= 0 || number > 1e12)
        {
            return new ValidationError(param, $"{param} must be a positive number.");
        }

        return number;
    }

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]{0,255}$")]
    private static partial Regex VariableName();
}
