using System.CommandLine;
using System.Text.Json;
using Berth.Cli.Client;
using Berth.Cli.Commands.Sessions;
using Berth.Cli.Invocation;
using Berth.Cli.Output;

namespace Berth.Cli.Commands;

/// <summary>
/// <c>berth events SESSION</c>: the session's events, oldest first; with <c>--follow</c>, new ones
/// as they happen until the session ends, resuming after a dropped connection.
/// </summary>
internal static class EventsCommand
{
    private const int MaxReconnects = 5;
    private static readonly TimeSpan ReconnectDelay = TimeSpan.FromSeconds(1);

    public static Command Create()
    {
        var session = SessionCommand.Argument();
        var follow = new Option<bool>("--follow", "-f") { Description = "Keep printing new events until the session ends." };
        var paging = new PageOptions(defaultLimit: 100);
        var command = new Command("events", "Show a session's events: status changes, commands, network decisions.")
        {
            session, follow,
        };
        paging.AddTo(command);
        command.SetClientAction((context, cancellationToken) => context.Value(follow)
            ? FollowAsync(context, context.Value(session)!, paging.After(context), cancellationToken)
            : ListAsync(context, context.Value(session)!, paging, cancellationToken));

        return command.WithClientOptions();
    }

    private static async Task<int> ListAsync(ClientContext context, string sessionId, PageOptions paging, CancellationToken cancellationToken)
    {
        var listed = await context.Api.ListEventsAsync(sessionId, paging.Query(context), cancellationToken);
        if (!listed.TryGetValue(out var page))
        {
            return context.Fail(listed.Error);
        }

        if (context.Console.IsJson)
        {
            context.Console.WriteJson(page);
            return ExitCodes.Success;
        }

        foreach (var item in page.Items())
        {
            context.Console.WriteLine(Line(item));
        }

        PageOptions.WriteMoreHint(context, page, $"berth events {sessionId}");

        return ExitCodes.Success;
    }

    private static async Task<int> FollowAsync(ClientContext context, string sessionId, string? after, CancellationToken cancellationToken)
    {
        var lastId = after;
        for (var failures = 0; failures <= MaxReconnects; failures++)
        {
            var opened = await context.Api.OpenEventStreamAsync(sessionId, lastId, cancellationToken);
            if (!opened.TryGetValue(out var stream))
            {
                return context.Fail(opened.Error);
            }

            var before = lastId;
            lastId = await PrintAsync(context, stream, lastId, cancellationToken);
            if (lastId != before)
            {
                failures = 0;
            }

            var current = await context.Api.GetSessionAsync(sessionId, cancellationToken);
            if (!current.TryGetValue(out var state))
            {
                return context.Fail(current.Error);
            }

            if (state.Text("status") is "terminated" or "failed")
            {
                return ExitCodes.Success;
            }

            await Task.Delay(ReconnectDelay, cancellationToken);
        }

        return context.Console.Fail(ExitCodes.Server, $"The event stream kept breaking; resume with: berth events {sessionId} --follow --after {lastId}");
    }

    /// <summary>Prints events until the stream ends or breaks; returns the id of the last one printed.</summary>
    private static async Task<string?> PrintAsync(ClientContext context, EventStream stream, string? lastId, CancellationToken cancellationToken)
    {
        await using (stream)
        {
            try
            {
                await foreach (var item in stream.ReadAllAsync(cancellationToken))
                {
                    using var document = JsonDocument.Parse(item.Data);
                    if (context.Console.IsJson)
                    {
                        context.Console.WriteJsonLine(document.RootElement);
                    }
                    else
                    {
                        context.Console.WriteLine(Line(document.RootElement));
                    }

                    lastId = item.Id ?? lastId;
                }
            }
            catch (HttpIOException)
            {
                // A dropped connection: the caller resumes after the last event printed.
            }
        }

        return lastId;
    }

    private static string Line(JsonElement item) =>
        $"{Formats.Time(item.Text("created_at"))}  {item.Text("type"),-24}  {Formats.Pairs(item.Child("data"))}";
}
