using System.Text.RegularExpressions;

namespace Berth.Runtime.Sandboxes;

/// <summary>
/// Labels and names of sandbox containers. Labels cannot change after a container is created,
/// so a pooled container, made before its session exists, carries the pool's labels for life;
/// its session is in its name instead, which it gets when a session takes it. Every sandbox of a
/// session is named <c>&lt;instance&gt;.session.&lt;session id&gt;</c>, which also keeps the engine
/// from ever running two for one session.
/// </summary>
internal static partial class SandboxNames
{
    public const string Kind = "sandbox";
    public const string SessionLabel = "berth.session";
    public const string EnvironmentLabel = "berth.environment";

    /// <summary>On pooled containers: the id of the pool (one per process) that made them.</summary>
    public const string PoolLabel = "berth.pool";

    private const string SessionInfix = ".session.";
    private const string PoolInfix = ".pool.";

    public static string ForSession(string instance, string sessionId)
    {
        ThrowIfInvalidSessionId(sessionId);

        return instance + SessionInfix + sessionId;
    }

    public static void ThrowIfInvalidSessionId(string sessionId)
    {
        ArgumentNullException.ThrowIfNull(sessionId);
        if (!SessionIdPattern().IsMatch(sessionId))
        {
            throw new ArgumentException(
                $"Session id '{sessionId}' cannot name a container: use 1-200 of [A-Za-z0-9_.-], "
                + "starting with a letter or digit.", nameof(sessionId));
        }
    }

    public static string ForPool(string instance) => instance + PoolInfix + Guid.NewGuid().ToString("N");

    public static string? SessionOf(string instance, string containerName) =>
        containerName.StartsWith(instance + SessionInfix, StringComparison.Ordinal)
            ? containerName[(instance.Length + SessionInfix.Length)..]
            : null;

    public static bool IsPooled(string instance, string containerName) =>
        containerName.StartsWith(instance + PoolInfix, StringComparison.Ordinal);

    public static Dictionary<string, string> ForInstance(string instance) => BerthLabels.For(instance, Kind);

    public static Dictionary<string, string> LabelsForSession(string instance, SandboxSpec spec) => new()
    {
        [BerthLabels.Instance] = instance,
        [BerthLabels.Kind] = Kind,
        [BerthLabels.ConfigHash] = spec.ConfigHash,
        [SessionLabel] = spec.SessionId,
        [EnvironmentLabel] = spec.EnvironmentId,
    };

    public static Dictionary<string, string> LabelsForPool(string instance, string configHash, string poolId) => new()
    {
        [BerthLabels.Instance] = instance,
        [BerthLabels.Kind] = Kind,
        [BerthLabels.ConfigHash] = configHash,
        [PoolLabel] = poolId,
    };

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9_.-]{0,199}$")]
    private static partial Regex SessionIdPattern();
}
