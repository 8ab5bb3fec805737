using Berth.Runtime.Docker;

namespace Berth.Runtime.Sandboxes;

/// <summary>
/// How a sandbox comes to trust a further certificate authority, the egress gateway's: the file
/// is mounted read-only, the sandbox's first act adds it to the system's trust (the bundle that
/// OpenSSL, GnuTLS, curl, Python and apt read, and the local certificates that
/// <c>update-ca-certificates</c> keeps when a package runs it again), and the variables below
/// point Node.js, pip and Python's requests, which carry trust stores of their own, at it too.
/// </summary>
internal static class SandboxTrust
{
    public const string CertificatePath = "/etc/berth/egress-ca.crt";
    private const string LocalCertificate = "/usr/local/share/ca-certificates/berth-egress-ca.crt";
    private const string SystemBundle = "/etc/ssl/certs/ca-certificates.crt";

    // Added once however often the container starts; an image without these tools only misses the system step.
    private const string InstallScript =
        "{ if [ -r " + CertificatePath + " ]; then "
        + "mkdir -p /usr/local/share/ca-certificates /etc/ssl/certs; "
        + "cp " + CertificatePath + " " + LocalCertificate + "; "
        + "grep -qxF \"$(sed -n 2p " + CertificatePath + ")\" " + SystemBundle + " "
        + "|| cat " + CertificatePath + " >> " + SystemBundle + "; "
        + "fi; } >/dev/null 2>&1; ";

    public static IReadOnlyList<string> Environment { get; } =
    [
        $"NODE_EXTRA_CA_CERTS={CertificatePath}",
        $"REQUESTS_CA_BUNDLE={SystemBundle}",
        $"PIP_CERT={SystemBundle}",
    ];

    public static IReadOnlyList<ReadOnlyFile> Files(string hostPath) => [new(hostPath, CertificatePath)];

    /// <summary><paramref name="mainProcess"/>, run by <c>/bin/sh</c> after the certificate is installed.</summary>
    public static IReadOnlyList<string> InstallingFirst(IReadOnlyList<string> mainProcess) =>
        mainProcess is ["/bin/sh", "-c", var script, ..]
            ? ["/bin/sh", "-c", InstallScript + script, .. mainProcess.Skip(3)]
            : ["/bin/sh", "-c", InstallScript + "exec \"$@\"", "sh", .. mainProcess];
}
