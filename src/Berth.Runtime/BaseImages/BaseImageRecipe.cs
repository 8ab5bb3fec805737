using System.Security.Cryptography;
using System.Text;

namespace Berth.Runtime.BaseImages;

/// <summary>
/// What goes into the Debian base image that Berth makes with mmdebstrap, and the tag it
/// gets: a hash of this recipe, so that each machine makes it once and a changed recipe
/// makes a new one.
/// </summary>
internal sealed class BaseImageRecipe
{
    public const string Repository = "berth/base";
    public const string VirtualEnvironment = "/opt/berth/venv";

    // Bump when the mmdebstrap options, hooks or image settings below change.
    private const int Version = 3;

    private const string CertificateDirectory = "/usr/local/share/ca-certificates";

    // The apt variant (Essential packages and apt) is the smallest that still has apt; the
    // tools agents expect come in by name.
    private const string Variant = "apt";

    private static readonly string[] Packages =
    [
        "bash", "coreutils", "ca-certificates", "curl", "wget", "git", "jq", "unzip", "zip", "tar",
        "make", "procps", "openssh-client", "python3", "python3-venv", "python3-pip", "nodejs", "npm",
    ];

    // Sandboxes have no use for manuals and docs; leaving them out keeps the base small and every
    // later apt install faster, since the exclusions stay in the image's dpkg configuration.
    private static readonly string[] DpkgOptions =
    [
        "path-exclude=/usr/share/man/*",
        "path-exclude=/usr/share/info/*",
        "path-exclude=/usr/share/doc/*",
        "path-include=/usr/share/doc/*/copyright",
    ];

    private readonly HostCertificates _certificates;

    public BaseImageRecipe(string suite, HostCertificates certificates)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(suite);

        Suite = suite;
        _certificates = certificates;
        Hash = ComputeHash(suite, certificates);
        Reference = $"{Repository}:{suite}-{Hash}";
    }

    public string Suite { get; }

    public string Hash { get; }

    public string Reference { get; }

    public static IReadOnlyList<string> DefaultPath { get; } =
        [$"{VirtualEnvironment}/bin", "/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin"];

    public IReadOnlyList<string> MmdebstrapOptions(IReadOnlyList<string> aptOptions) =>
    [
        $"--variant={Variant}",
        $"--include={string.Join(',', Packages)}",
        .. aptOptions.Select(o => $"--aptopt={o}"),
        .. DpkgOptions.Select(o => $"--dpkgopt={o}"),
        .. CertificateHooks(),
        // The venv is made here, once, so that builds with pip packages do not each pay for it.
        $"--customize-hook=chroot \"$1\" python3 -m venv {VirtualEnvironment}",

        // A login shell (commands run under bash -lc) takes PATH from /etc/profile, which would
        // drop the image's PATH and with it the venv; profile.d puts the venv first again.
        $"--customize-hook=printf '%s\\n' 'PATH=\"{VirtualEnvironment}/bin:$PATH\"' > \"$1/etc/profile.d/berth-venv.sh\"",
    ];

    private IEnumerable<string> CertificateHooks()
    {
        if (_certificates.Files.Count == 0)
        {
            yield break;
        }

        foreach (var file in _certificates.Files)
        {
            yield return $"--customize-hook=copy-in {file} {CertificateDirectory}";
        }

        yield return "--customize-hook=chroot \"$1\" update-ca-certificates";
    }

    public IReadOnlyList<string> ImportChanges(string instance) =>
    [
        $"ENV PATH={string.Join(':', DefaultPath)}",
        "ENV LANG=C.UTF-8",
        "CMD [\"bash\"]",
        $"LABEL {BerthLabels.Instance}=\"{instance}\" {BerthLabels.Kind}=\"{BerthLabels.BaseImageKind}\" "
            + $"{BerthLabels.BaseRecipe}=\"{Hash}\"",
    ];

    private static string ComputeHash(string suite, HostCertificates certificates)
    {
        var text = $"v{Version}\n{Variant}\n{suite}\n{string.Join(',', Packages.Order(StringComparer.Ordinal))}\n"
            + string.Join('\n', DpkgOptions) + "\n" + certificates.Fingerprint;
        var digest = SHA256.HashData(Encoding.UTF8.GetBytes(text));

        return Convert.ToHexStringLower(digest)[..16];
    }
}
