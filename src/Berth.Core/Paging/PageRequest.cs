namespace Berth.Core.Paging;

/// <summary>One page of a collection, newest first, as the list parameters of the API describe it.</summary>
/// <param name="Limit">How many items at most, 1 to 100.</param>
/// <param name="AfterId">Items older than this id (a cursor compared by value; it need not exist).</param>
/// <param name="BeforeId">Items newer than this id, the ones nearest to it.</param>
/// <param name="CreatedFrom">Inclusive lower bound on creation time.</param>
/// <param name="CreatedTo">Inclusive upper bound on creation time.</param>
public sealed record PageRequest(
    int Limit,
    string? AfterId = null,
    string? BeforeId = null,
    DateTimeOffset? CreatedFrom = null,
    DateTimeOffset? CreatedTo = null)
{
    public const int DefaultLimit = 20;
    public const int MaxLimit = 100;
}

/// <summary>The items of a page, newest first, and whether more lie beyond it in the direction asked.</summary>
public sealed record Page<T>(IReadOnlyList<T> Items, bool HasMore, bool TowardsNewer);
