namespace Berth.Runtime.Sandboxes;

/// <summary>
/// One sandbox container of this Berth instance, for reconciliation. A <paramref name="Pooled"/>
/// container is pre-started and not yet given to a session, so its <paramref name="SessionId"/>
/// is null; pooled containers belong to the pool of the process that made them.
/// </summary>
public sealed record SandboxInfo(string ContainerId, string? SessionId, string? ConfigHash, bool Running, bool Pooled);
