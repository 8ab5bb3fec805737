namespace Berth.Api.Http;

/// <summary>One page of a collection, newest first, with the cursors to walk it.</summary>
public sealed record ListResponse<T>(IReadOnlyList<T> Data, string? FirstId, string? LastId, bool HasMore, string? NextPage);
