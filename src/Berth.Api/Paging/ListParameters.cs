using System.Globalization;
using Berth.Api.Http;
using Berth.Core;
using Berth.Core.Paging;
using Berth.Core.Validation;

namespace Berth.Api.Paging;

/// <summary>Reads the list parameters every collection route shares.</summary>
public static class ListParameters
{
    public static Validated<PageRequest> Parse(IQueryCollection query)
    {
        ArgumentNullException.ThrowIfNull(query);
        var limit = query.TryGetValue("limit", out var sent) ? ParseLimit(sent.ToString()) : PageRequest.DefaultLimit;
        if (!limit.IsValid)
        {
            return Validated<PageRequest>.Failure(limit.Error);
        }

        var after = Optional(query["after_id"]);
        var before = Optional(query["before_id"]);
        var page = Optional(query["page"]);
        if (page is not null)
        {
            // SDKs keep the first page's parameters and add `page`, so `page` decides.
            (after, before) = (page, null);
        }
        else if (after is not null && before is not null)
        {
            return Validated<PageRequest>.Failure("before_id", "Send after_id or before_id, not both.");
        }

        var from = ParseTime(query, "created_at[gte]");
        var to = ParseTime(query, "created_at[lte]");
        if (!from.IsValid)
        {
            return Validated<PageRequest>.Failure(from.Error);
        }

        if (!to.IsValid)
        {
            return Validated<PageRequest>.Failure(to.Error);
        }

        return new PageRequest(limit.Value, after, before, from.Value, to.Value);
    }

    /// <summary>Reads a boolean flag such as <c>include_archived</c>; absent is false.</summary>
    public static Validated<bool> Flag(IQueryCollection query, string name)
    {
        ArgumentNullException.ThrowIfNull(query);
        var text = Optional(query[name]);

        return text?.ToLowerInvariant() switch
        {
            null or "false" or "0" => false,
            "true" or "1" => true,
            _ => Validated<bool>.Failure(name, $"{name} must be true or false, not '{text}'."),
        };
    }

    public static ListResponse<T> ToResponse<T>(Page<T> page, Func<T, string> id)
    {
        ArgumentNullException.ThrowIfNull(page);
        ArgumentNullException.ThrowIfNull(id);
        var first = page.Items.Count > 0 ? id(page.Items[0]) : null;
        var last = page.Items.Count > 0 ? id(page.Items[^1]) : null;
        var next = page.HasMore && !page.TowardsNewer ? last : null;

        return new ListResponse<T>(page.Items, first, last, page.HasMore, next);
    }

    private static Validated<int> ParseLimit(string text)
    {
        if (!int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var limit))
        {
            return long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var big) && big > 0
                ? PageRequest.MaxLimit
                : Validated<int>.Failure("limit", $"limit must be a whole number from 1 to {PageRequest.MaxLimit}, not '{text}'.");
        }

        return limit < 1
            ? Validated<int>.Failure("limit", $"limit must be at least 1; it is {limit}.")
            : Math.Min(limit, PageRequest.MaxLimit);
    }

    private static Validated<DateTimeOffset?> ParseTime(IQueryCollection query, string name)
    {
        var text = Optional(query[name]);
        if (text is null)
        {
            return Validated<DateTimeOffset?>.Success(null);
        }

        return Timestamps.TryParse(text, out var time)
            ? Validated<DateTimeOffset?>.Success(time)
            : Validated<DateTimeOffset?>.Failure(name, $"{name} must be an RFC 3339 timestamp such as 2026-05-18T15:28:07Z, not '{text}'.");
    }

    private static string? Optional(string? text) => string.IsNullOrEmpty(text) ? null : text;
}
