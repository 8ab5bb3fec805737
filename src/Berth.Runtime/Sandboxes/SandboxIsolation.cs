using Berth.Runtime.Docker;
using Berth.Runtime.Sandboxes.Agent;

namespace Berth.Runtime.Sandboxes;

/// <summary>How a sandbox container is confined, and the limits it runs with.</summary>
internal static class SandboxIsolation
{
    public const string WorkingDirectory = "/workspace";
    public const string Home = "/root";

    // Sessions run as root in the container, and installing packages there is their main use.
    // These are the capabilities that apt, dpkg, pip and npm need as root, and nothing more:
    //   CHOWN, FOWNER, FSETID   dpkg and tar set owners, modes and setuid bits of unpacked files
    //   DAC_OVERRIDE            root writes files and directories whatever their mode
    //   SETUID, SETGID          apt drops to its _apt user to download; su and runuser work
    //   KILL                    signals to other users' processes (apt's download methods,
    //                           the process-group kill of a timed-out command running as another user)
    // Docker's default set adds NET_RAW (raw sockets: spoofing, ping), MKNOD, SETFCAP, SETPCAP,
    // NET_BIND_SERVICE (ports below 1024), SYS_CHROOT and AUDIT_WRITE; a sandbox is better
    // without them, and `no-new-privileges` keeps setuid binaries from bringing any back.
    public static IReadOnlyList<string> Capabilities { get; } =
        ["CHOWN", "DAC_OVERRIDE", "FOWNER", "FSETID", "SETUID", "SETGID", "KILL"];

    // Without the command agent, the container only has to stay up between engine execs.
    private static IReadOnlyList<string> KeepAlive { get; } = ["sleep", "infinity"];

    public static ContainerLimits ToContainerLimits(SandboxLimits limits) => new(
        limits.MemoryBytes, (long)Math.Round(limits.Cpus * 1_000_000_000), limits.PidsLimit);

    /// <summary>Why <paramref name="limits"/> cannot be used, or null when they can.</summary>
    public static string? Problem(SandboxLimits limits, SandboxOptions options)
    {
        if (limits.MemoryBytes < 6 * 1024 * 1024 || limits.MemoryBytes > options.MaxMemoryBytes)
        {
            return $"Memory must be between 6 MiB and {options.MaxMemoryBytes} bytes.";
        }

        if (limits.Cpus < 0.01 || limits.Cpus > options.MaxCpus)
        {
            return $"CPUs must be between 0.01 and {options.MaxCpus}.";
        }

        return limits.PidsLimit < 16 || limits.PidsLimit > options.MaxPidsLimit
            ? $"The process limit must be between 16 and {options.MaxPidsLimit}."
            : null;
    }

    public static ContainerSpec Container(
        SandboxTemplate template, SandboxLimits limits, string name,
        IReadOnlyDictionary<string, string> labels, SandboxOptions options)
    {
        var mainProcess = options.CommandAgent ? CommandAgent.MainProcess : KeepAlive;
        IReadOnlyList<string> environment = [$"HOME={Home}"];
        IReadOnlyList<ReadOnlyFile> files = [];
        if (template.TrustedCertificate is { } certificate)
        {
            mainProcess = SandboxTrust.InstallingFirst(mainProcess);
            environment = [.. environment, .. SandboxTrust.Environment];
            files = SandboxTrust.Files(certificate);
        }

        return new(template.Image, mainProcess, environment, WorkingDirectory, labels)
        {
            Name = name,
            Hostname = "sandbox",

            // The command agent is the main process and the init that reaps orphaned processes;
            // as PID 1 no process in the sandbox can kill it. Without it, the engine's init reaps.
            Attached = options.CommandAgent,
            Isolation = new ContainerIsolation(Capabilities, options.ContainerRuntime, Init: !options.CommandAgent),
            Limits = ToContainerLimits(limits),
            Network = template.NetworkName,
            DnsServers = template.DnsServers,
            ReadOnlyFiles = files,
        };
    }
}
