using System.CommandLine;

namespace Berth.Bench.Api;

/// <summary><c>bare</c>: runs the bare endpoint; the bench starts it as a second process.</summary>
internal static class BareCommand
{
    public static Command Create()
    {
        var port = new Option<int>("--port") { Description = "Loopback port to listen on.", Required = true };
        var body = new Option<string>("--body")
        {
            Description = "File holding the JSON body to answer with.",
            Required = true,
        };
        var parent = new Option<int>("--parent-pid")
        {
            Description = "Stop when this process is gone.",
            Required = true,
        };
        var command = new Command("bare", "Serve a fixed JSON body on GET /v1/environments/{id} (the bench starts it).")
        {
            port, body, parent,
        };
        command.Hidden = true;
        command.SetAction((parse, cancellationToken) => BareServer.RunAsync(
            parse.GetValue(port), parse.GetValue(body)!, parse.GetValue(parent), cancellationToken));

        return command;
    }
}
