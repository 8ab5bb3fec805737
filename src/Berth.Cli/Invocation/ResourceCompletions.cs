using System.CommandLine;
using System.CommandLine.Completions;
using Berth.Cli.Client;
using Berth.Cli.Configuration;

namespace Berth.Cli.Invocation;

/// <summary>
/// Tab completion of environment and session ids, asked of the server. Completion must never
/// hang a shell or print errors into it, so it gives up quietly after a short wait.
/// </summary>
internal static class ResourceCompletions
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(2);

    public static void CompleteEnvironments(this Argument argument) =>
        argument.CompletionSources.Add(context => Ask(context, ListEnvironmentsAsync));

    public static void CompleteEnvironments(this Option option) =>
        option.CompletionSources.Add(context => Ask(context, ListEnvironmentsAsync));

    public static void CompleteSessions(this Argument argument) =>
        argument.CompletionSources.Add(context => Ask(context, ListSessionsAsync));

    private static IEnumerable<CompletionItem> Ask(
        CompletionContext context, Func<BerthApi, CancellationToken, Task<IEnumerable<CompletionItem>>> list)
    {
        using var deadline = new CancellationTokenSource(Patience);
        try
        {
            return AskAsync(context, list, deadline.Token).GetAwaiter().GetResult();
        }
        catch (Exception error) when (error is OperationCanceledException or HttpRequestException or IOException
            or UsageException or InvalidDataException)
        {
            return [];
        }
    }

    private static async Task<IEnumerable<CompletionItem>> AskAsync(
        CompletionContext context, Func<BerthApi, CancellationToken, Task<IEnumerable<CompletionItem>>> list,
        CancellationToken cancellationToken)
    {
        var parse = context.ParseResult;
        var settings = await ClientSettings.ResolveAsync(
            parse.GetValue(ClientOptions.Url), parse.GetValue(ClientOptions.Token), cancellationToken);
        using var api = new BerthApi(new ApiConnection(settings.Url, settings.Token));

        return await list(api, cancellationToken);
    }

    private static async Task<IEnumerable<CompletionItem>> ListEnvironmentsAsync(BerthApi api, CancellationToken cancellationToken)
    {
        var listed = await api.ListEnvironmentsAsync(new ListQuery(100), cancellationToken);

        return listed.TryGetValue(out var page)
            ? page.Items().Select(e => new CompletionItem(e.Text("id") ?? "", detail: e.Text("name")))
            : [];
    }

    private static async Task<IEnumerable<CompletionItem>> ListSessionsAsync(BerthApi api, CancellationToken cancellationToken)
    {
        var listed = await api.ListSessionsAsync(new ListQuery(100), cancellationToken);

        return listed.TryGetValue(out var page)
            ? page.Items().Select(s => new CompletionItem(s.Text("id") ?? "", detail: s.Text("title")))
            : [];
    }
}
