using System.Security.Cryptography;

namespace Berth.Runtime.BaseImages;

/// <summary>The CA certificates added on this machine, which the base image trusts as well.</summary>
internal sealed class HostCertificates
{
    private HostCertificates(IReadOnlyList<string> files, string fingerprint)
    {
        Files = files;
        Fingerprint = fingerprint;
    }

    public IReadOnlyList<string> Files { get; }

    /// <summary>A hash of the certificates' names and contents, so that a changed set makes a new base image.</summary>
    public string Fingerprint { get; }

    public static HostCertificates None { get; } = new([], "");

    public static HostCertificates In(string? directory)
    {
        if (string.IsNullOrEmpty(directory) || !Directory.Exists(directory))
        {
            return None;
        }

        // update-ca-certificates takes only *.crt files; mmdebstrap's copy-in takes no names with spaces.
        var files = Directory.GetFiles(directory, "*.crt")
            .Where(f => !f.Contains(' ', StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .ToList();
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var file in files)
        {
            hash.AppendData(System.Text.Encoding.UTF8.GetBytes(Path.GetFileName(file) + "\n"));
            hash.AppendData(File.ReadAllBytes(file));
        }

        return files.Count == 0 ? None : new HostCertificates(files, Convert.ToHexStringLower(hash.GetHashAndReset()));
    }
}
