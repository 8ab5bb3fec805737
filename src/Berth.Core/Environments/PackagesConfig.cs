namespace Berth.Core.Environments;

/// <summary>The <c>packages</c> part of an environment's config: the specs per manager, as sent.</summary>
/// <remarks>A null list was not sent; an empty list was sent empty. Both install nothing.</remarks>
public sealed record PackagesConfig(
    IReadOnlyList<string>? Apt,
    IReadOnlyList<string>? Pip,
    IReadOnlyList<string>? Npm)
{
    /// <summary>No packages for any manager.</summary>
    public static PackagesConfig None { get; } = new(null, null, null);

    /// <summary>The list sent for <paramref name="manager"/>, or null when none was sent.</summary>
    public IReadOnlyList<string>? For(PackageManager manager) => manager switch
    {
        PackageManager.Apt => Apt,
        PackageManager.Pip => Pip,
        PackageManager.Npm => Npm,
        _ => throw new ArgumentOutOfRangeException(nameof(manager), manager, "Unknown package manager."),
    };

    public IReadOnlyList<string> EffectiveFor(PackageManager manager) => For(manager) ?? [];

    public bool Equals(PackagesConfig? other) =>
        other is not null
        && Sequences.Equal(Apt, other.Apt)
        && Sequences.Equal(Pip, other.Pip)
        && Sequences.Equal(Npm, other.Npm);

    public override int GetHashCode() =>
        HashCode.Combine(Sequences.Hash(Apt), Sequences.Hash(Pip), Sequences.Hash(Npm));
}
