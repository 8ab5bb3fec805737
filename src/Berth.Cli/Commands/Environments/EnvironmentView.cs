using System.Text.Json;
using Berth.Cli.Client;
using Berth.Cli.Output;

namespace Berth.Cli.Commands.Environments;

/// <summary>How environments look in human output: a table row, a detail view, a one-line label.</summary>
internal static class EnvironmentView
{
    public static TextTable Table(IEnumerable<JsonElement> environments)
    {
        var table = new TextTable("ID", "NAME", "STATUS", "NETWORKING", "PACKAGES", "CREATED");
        foreach (var environment in environments)
        {
            var config = environment.Child("config") ?? default;
            table.AddRow(
                environment.Text("id"), environment.Text("name"), environment.Text("status"),
                Formats.Networking(config), Formats.Packages(config), Formats.Time(environment.Text("created_at")));
        }

        return table;
    }

    public static IEnumerable<(string, string?)> Details(JsonElement environment)
    {
        var config = environment.Child("config") ?? default;
        var script = config.Text("setup_script");

        return
        [
            ("ID", environment.Text("id")),
            ("NAME", environment.Text("name")),
            ("DESCRIPTION", environment.Text("description")),
            ("STATUS", environment.Text("status")),
            ("NETWORKING", Formats.Networking(config)),
            ("PACKAGES", Formats.Packages(config)),
            ("SETUP SCRIPT", script is null ? null : $"{script.Split('\n').Length} lines"),
            ("METADATA", Formats.Pairs(environment.Child("metadata"))),
            ("CREATED", Formats.Time(environment.Text("created_at"))),
            ("UPDATED", Formats.Time(environment.Text("updated_at"))),
            ("ARCHIVED", environment.Text("archived_at") is { } archived ? Formats.Time(archived) : null),
        ];
    }

    /// <summary><c>doc-test-env (env_…)</c>.</summary>
    public static string Label(JsonElement environment) => $"{environment.Text("name")} ({environment.Text("id")})";
}
