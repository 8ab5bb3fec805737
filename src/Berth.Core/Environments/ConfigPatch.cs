namespace Berth.Core.Environments;

/// <summary>Changes to an environment's config: parts sent replace the stored ones; omitted parts are kept.</summary>
/// <remarks>
/// A JSON <c>null</c> means omitted, so null here always means "keep": a client clears
/// networking by sending <c>{"type":"unrestricted"}</c> and packages by sending empty lists.
/// </remarks>
public sealed record ConfigPatch(
    NetworkingConfig? Networking,
    PackagesConfig? Packages,
    string? SetupScript)
{
    public EnvironmentConfig ApplyTo(EnvironmentConfig current)
    {
        ArgumentNullException.ThrowIfNull(current);

        return new EnvironmentConfig(
            Networking ?? current.Networking,
            Packages ?? current.Packages,
            SetupScript ?? current.SetupScript);
    }
}
