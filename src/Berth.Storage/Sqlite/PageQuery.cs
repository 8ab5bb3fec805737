using Berth.Core.Paging;
using Microsoft.Data.Sqlite;

namespace Berth.Storage.Sqlite;

/// <summary>Turns a <see cref="PageRequest"/> into the WHERE, ORDER and LIMIT of a keyset query on <c>id</c>.</summary>
/// <remarks>
/// Lists run newest first unless <c>ascending</c>. Either way <c>after_id</c> continues in list
/// order and <c>before_id</c> gives the items nearest the cursor on the other side, still
/// returned in list order: such a page is read towards the cursor and turned around.
/// </remarks>
internal static class PageQuery
{
    /// <summary>Appends the page conditions to <paramref name="where"/> and returns the tail of the query.</summary>
    public static string Apply(PageRequest page, SqliteCommand command, List<string> where, bool ascending = false)
    {
        var (forward, backward) = ascending ? (">", "<") : ("<", ">");
        if (page.AfterId is not null)
        {
            where.Add($"id {forward} $after");
            command.With("$after", page.AfterId);
        }

        if (page.BeforeId is not null)
        {
            where.Add($"id {backward} $before");
            command.With("$before", page.BeforeId);
        }

        if (page.CreatedFrom is { } from)
        {
            where.Add("created_at >= $from");
            command.With("$from", from);
        }

        if (page.CreatedTo is { } to)
        {
            where.Add("created_at <= $to");
            command.With("$to", to);
        }

        // One extra row tells whether there is more.
        var readsInListOrder = page.BeforeId is null;
        var order = readsInListOrder == ascending ? "ASC" : "DESC";
        command.With("$limit", page.Limit + 1);

        return $" WHERE {string.Join(" AND ", where)} ORDER BY id {order} LIMIT $limit";
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
