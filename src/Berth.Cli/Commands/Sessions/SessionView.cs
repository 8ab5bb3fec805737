using System.Text.Json;
using Berth.Cli.Client;
using Berth.Cli.Output;

namespace Berth.Cli.Commands.Sessions;

/// <summary>How sessions look in human output: a table row and a detail view.</summary>
internal static class SessionView
{
    public static TextTable Table(IEnumerable<JsonElement> sessions)
    {
        var table = new TextTable("ID", "ENVIRONMENT", "STATUS", "TITLE", "CREATED", "EXPIRES");
        foreach (var session in sessions)
        {
            table.AddRow(
                session.Text("id"), session.Text("environment_id"), session.Text("status"), session.Text("title"),
                Formats.Time(session.Text("created_at")), Expires(session));
        }

        return table;
    }

    public static IEnumerable<(string, string?)> Details(JsonElement session) =>
    [
        ("ID", session.Text("id")),
        ("ENVIRONMENT", session.Text("environment_id")),
        ("STATUS", session.Text("status")),
        ("TITLE", session.Text("title")),
        ("AGENT", session.Text("agent")),
        ("ERROR", session.Child("error")?.Text("message")),
        ("METADATA", Formats.Pairs(session.Child("metadata"))),
        ("CONFIG", session.Text("config_hash")),
        ("CREATED", Formats.Time(session.Text("created_at"))),
        ("EXPIRES", Expires(session)),
        ("TERMINATED", session.Text("terminated_at") is { } terminated ? Formats.Time(terminated) : null),
    ];

    // An ended session expires no more.
    private static string Expires(JsonElement session) =>
        session.Text("status") is "terminated" or "failed" ? "-" : Formats.Time(session.Text("expires_at"));
}
