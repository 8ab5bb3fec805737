using System.Text.Json;
using Berth.Core.Validation;

namespace Berth.Core.Sessions;

/// <summary>A validated command to run in a session.</summary>
/// <param name="Argv">The program and its arguments; a string command arrives as <c>bash -lc &lt;command&gt;</c>.</param>
/// <param name="Command">The command as the client sent it (an array as one shell-quoted line), for events.</param>
/// <param name="WorkingDirectory">Where it runs; null for <c>/workspace</c>.</param>
/// <param name="Environment">Variables for this command alone, over the session's.</param>
/// <param name="Stdin">Text written to its standard input, which is then closed.</param>
/// <param name="Timeout">How long it may run before its whole process tree is killed.</param>
public sealed record ExecDraft(
    IReadOnlyList<string> Argv,
    string Command,
    string? WorkingDirectory,
    IReadOnlyDictionary<string, string> Environment,
    string? Stdin,
    TimeSpan Timeout);

/// <summary>Reads <c>POST /v1/sessions/{id}/exec</c> bodies.</summary>
public static class ExecRequests
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromMinutes(10);
    public static readonly TimeSpan MaxTimeout = TimeSpan.FromHours(24);

    public static Validated<ExecDraft> Parse(JsonElement body)
    {
        if (body.ValueKind != JsonValueKind.Object)
        {
            return new ValidationError(null, "The request body must be a JSON object.");
        }

        var command = ReadCommand(body);
        var cwd = OptionalString(body, "cwd");
        var stdin = OptionalString(body, "stdin");
        var environment = ReadEnvironment(body);
        var timeout = ReadTimeout(body);
        var error = command.Error ?? cwd.Error ?? environment.Error ?? stdin.Error ?? timeout.Error;
        if (error is not null)
        {
            return error;
        }

        return new ExecDraft(command.Value.Argv, command.Value.Text, cwd.Value, environment.Value, stdin.Value, timeout.Value);
    }

    private static Validated<(IReadOnlyList<string> Argv, string Text)> ReadCommand(JsonElement body)
    {
        if (!JsonFields.TryGetPresent(body, "command", out var command))
        {
            return new ValidationError("command", "Missing required field: command");
        }

        if (command.ValueKind == JsonValueKind.String)
        {
            var text = command.GetString()!;
            return text.Trim().Length == 0 || text.Contains('\0', StringComparison.Ordinal)
                ? new ValidationError("command", "command must be a non-empty string without NUL characters.")
                : (["/bin/bash", "-lc", text], text);
        }

        if (command.ValueKind != JsonValueKind.Array)
        {
            return JsonFields.WrongType("command", "a string for bash -lc or an array of strings", command);
        }

        var argv = new List<string>();
        foreach (var item in command.EnumerateArray())
        {
            var param = $"command[{argv.Count}]";
            if (item.ValueKind != JsonValueKind.String || item.GetString()!.Contains('\0', StringComparison.Ordinal))
            {
                return new ValidationError(param, $"{param} must be a string without NUL characters.");
            }

            argv.Add(item.GetString()!);
        }

        return argv.Count == 0 || argv[0].Length == 0
            ? new ValidationError("command", "command as an array must name a program first.")
            : (argv, ShellWords.Join(argv));
    }

    private static Validated<string?> OptionalString(JsonElement body, string name)
    {
        if (!JsonFields.TryGetPresent(body, name, out var element))
        {
            return Validated<string?>.Success(null);
        }

        if (element.ValueKind != JsonValueKind.String)
        {
            return JsonFields.WrongType(name, "a string", element);
        }

        var text = element.GetString()!;
        return name == "cwd" && (text.Length == 0 || text.Contains('\0', StringComparison.Ordinal))
            ? new ValidationError(name, "cwd must be a non-empty path.")
            : text;
    }

    private static Validated<IReadOnlyDictionary<string, string>> ReadEnvironment(JsonElement body)
    {
        if (!JsonFields.TryGetPresent(body, "env", out var element))
        {
            return new Dictionary<string, string>();
        }

        if (element.ValueKind != JsonValueKind.Object)
        {
            return JsonFields.WrongType("env", "an object of strings", element);
        }

        var variables = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var property in element.EnumerateObject())
        {
            var param = $"env.{property.Name}";
            if (property.Value.ValueKind != JsonValueKind.String)
            {
                return JsonFields.WrongType(param, "a string", property.Value);
            }

            if (SessionRequests.CheckVariable(property.Name, property.Value.GetString()!, param) is { } problem)
            {
                return problem;
            }

            variables[property.Name] = property.Value.GetString()!;
        }

        return variables;
    }

    private static Validated<TimeSpan> ReadTimeout(JsonElement body)
    {
        if (!JsonFields.TryGetPresent(body, "timeout_ms", out var element))
        {
            return DefaultTimeout;
        }

        if (element.ValueKind != JsonValueKind.Number || !element.TryGetInt64(out var milliseconds))
        {
            return JsonFields.WrongType("timeout_ms", "a whole number of milliseconds", element);
        }

        return milliseconds < 1 || milliseconds > MaxTimeout.TotalMilliseconds
            ? new ValidationError("timeout_ms", $"timeout_ms must be from 1 to {(long)MaxTimeout.TotalMilliseconds}.")
            : TimeSpan.FromMilliseconds(milliseconds);
    }
}
