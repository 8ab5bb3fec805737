using Berth.Cli.Client;

namespace Berth.Cli.Invocation;

/// <summary>
/// Lets commands take an environment by name as well as by id: <c>berth session create doc-test-env</c>.
/// Names are not unique in the API, so a name that several environments share is refused.
/// </summary>
internal static class EnvironmentReference
{
    public const string IdPrefix = "env_";

    private const int PageSize = 100;

    public static async Task<ApiResult<string>> ResolveAsync(BerthApi api, string reference, CancellationToken cancellationToken)
    {
        if (reference.StartsWith(IdPrefix, StringComparison.Ordinal))
        {
            return reference;
        }

        var listed = await ListAllAsync(api, cancellationToken);
        if (!listed.TryGetValue(out var all))
        {
            return listed.Error;
        }

        var named = all.Where(e => e.Name == reference).ToList();
        var live = named.Where(e => !e.Archived).ToList();

        return (named.Count, live.Count) switch
        {
            (0, _) => ApiError.Local(404, $"No environment is named '{reference}' or has it as id in this account."),
            (1, _) => named[0].Id,
            (_, 1) => live[0].Id,
            _ => ApiError.Local(400,
                $"{named.Count} environments are named '{reference}' ({string.Join(", ", named.Select(e => e.Id))}); use an id."),
        };
    }

    /// <summary>Every environment of the account, archived ones too, newest first.</summary>
    public static async Task<ApiResult<List<(string Id, string Name, bool Archived)>>> ListAllAsync(
        BerthApi api, CancellationToken cancellationToken)
    {
        var found = new List<(string, string, bool)>();
        string? after = null;
        do
        {
            var page = await api.ListEnvironmentsAsync(
                new ListQuery(PageSize, after).Add("include_archived", true), cancellationToken);
            if (!page.TryGetValue(out var body))
            {
                return page.Error;
            }

            found.AddRange(body.Items().Select(e => (e.Text("id") ?? "", e.Text("name") ?? "", e.Flag("archived"))));
            after = body.Text("next_page");
        }
        while (after is not null);

        return found;
    }
}
