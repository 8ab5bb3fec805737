using Berth.Core.Validation;

namespace Berth.Storage;

/// <summary>What became of a change to a stored row.</summary>
public enum MutationStatus
{
    Done,
    NotFound,

    /// <summary>The change itself is not valid (a 400).</summary>
    Invalid,

    /// <summary>The change is valid but not in the row's current state (a 409).</summary>
    Conflict,
}

/// <summary>The outcome of a read-modify-write on one row, decided inside one transaction.</summary>
public sealed record Mutation<T>(MutationStatus Status, T? Value, ValidationError? Error)
{
    public static Mutation<T> Done(T value) => new(MutationStatus.Done, value, null);

    public static Mutation<T> NotFound() => new(MutationStatus.NotFound, default, null);

    public static Mutation<T> Invalid(ValidationError error) => new(MutationStatus.Invalid, default, error);

    public static Mutation<T> Conflict(string message, string? param = null) =>
        new(MutationStatus.Conflict, default, new ValidationError(param, message));
}
