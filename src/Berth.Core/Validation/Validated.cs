using System.Diagnostics.CodeAnalysis;
using System.Text;

namespace Berth.Core.Validation;

/// <summary>The outcome of validating input: either the accepted value or the reason it was refused.</summary>
/// <remarks>
/// Refusing a request is an expected outcome, so it is returned rather than thrown. Read
/// <see cref="Value"/> only after checking <see cref="IsValid"/>; reading it from a refusal is a
/// programming error and throws. A <c>default</c> instance counts as a refusal, so a forgotten
/// assignment cannot pass for success.
/// </remarks>
public readonly record struct Validated<T>
{
    private static readonly ValidationError Unset = new(null, "No value was validated.");

    private readonly T? _value;
    private readonly ValidationError? _error;
    private readonly bool _hasValue;

    private Validated(T value)
    {
        _value = value;
        _hasValue = true;
    }

    private Validated(ValidationError error) => _error = error;

    /// <summary>The accepted value, which may itself be null when <typeparamref name="T"/> allows it.</summary>
    /// <exception cref="InvalidOperationException">The input was refused.</exception>
    public T Value => _hasValue
        ? _value!
        : throw new InvalidOperationException(
            $"There is no value because validation failed: {(_error ?? Unset).Message} "
            + "Check IsValid before reading Value.");

    /// <summary>Why the input was refused; null when <see cref="IsValid"/> is true.</summary>
    public ValidationError? Error => _hasValue ? null : _error ?? Unset;

    [MemberNotNullWhen(false, nameof(Error))]
    public bool IsValid => _hasValue;

    public static implicit operator Validated<T>(T value) => new(value);

    public static implicit operator Validated<T>(ValidationError error) => Failure(error);

    public static Validated<T> Success(T value) => new(value);

    public static Validated<T> Failure(ValidationError error)
    {
        ArgumentNullException.ThrowIfNull(error);

        return new(error);
    }

    public static Validated<T> Failure(string? param, string message) => new(new ValidationError(param, message));

    // The generated ToString would read Value, which throws for a refusal.
    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append(_hasValue ? $"Value = {_value}" : $"Error = {Error}");

        return true;
    }
}
