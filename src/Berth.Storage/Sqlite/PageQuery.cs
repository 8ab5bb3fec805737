using Berth.Core.Paging;

namespace Berth.Storage.Sqlite;

/// <summary>Turns a <see cref="PageRequest"/> into the WHERE, ORDER and LIMIT of a keyset query on <c>id</c>.</summary>
/// <remarks>
/// Lists run newest first unless <c>ascending</c>. Either way <c>after_id</c> continues in list
/// order and <c>before_id</c> gives the items nearest the cursor on the other side, still
/// returned in list order: such a page is read towards the cursor and turned around.
/// </remarks>
internal static class PageQuery
{
    /// <summary>Adds the page conditions to <paramref name="conditions"/> and returns the tail of the query.</summary>
    public static string Apply(PageRequest page, SqlConditions conditions, bool ascending = false)
    {
        var (forward, backward) = ascending ? (">", "<") : ("<", ">");
        if (page.AfterId is not null)
        {
            conditions.Add($"id {forward} $after", "$after", page.AfterId);
        }

        if (page.BeforeId is not null)
        {
            conditions.Add($"id {backward} $before", "$before", page.BeforeId);
        }

        if (page.CreatedFrom is { } from)
        {
            conditions.Add("created_at >= $from", "$from", from);
        }

        if (page.CreatedTo is { } to)
        {
            conditions.Add("created_at <= $to", "$to", to);
        }

        // One extra row tells whether there is more.
        var readsInListOrder = page.BeforeId is null;
        var order = readsInListOrder == ascending ? "ASC" : "DESC";
        conditions.Bind("$limit", page.Limit + 1);

        return $" {conditions.Where} ORDER BY id {order} LIMIT $limit";
    }

    public static Page<T> Finish<T>(PageRequest page, List<T> rows)
    {
        var hasMore = rows.Count > page.Limit;
        if (hasMore)
        {
            rows.RemoveAt(rows.Count - 1);
        }

        if (page.BeforeId is not null)
        {
            rows.Reverse();
        }

        return new Page<T>(rows, hasMore, page.BeforeId is not null);
    }
}
