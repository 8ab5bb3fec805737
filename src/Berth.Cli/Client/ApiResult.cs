using System.Diagnostics.CodeAnalysis;

namespace Berth.Cli.Client;

/// <summary>What an API call gave back: a value, or the error that took its place.</summary>
internal readonly struct ApiResult<T>
{
    private readonly T? _value;

    private ApiResult(T? value, ApiError? error)
    {
        _value = value;
        Error = error;
    }

    public ApiError? Error { get; }

    public static implicit operator ApiResult<T>(T value) => new(value, null);

    public static implicit operator ApiResult<T>(ApiError error) => new(default, error);

    [MemberNotNullWhen(false, nameof(Error))]
    public bool TryGetValue([MaybeNullWhen(false)] out T value)
    {
        value = _value;

        return Error is null;
    }
}
