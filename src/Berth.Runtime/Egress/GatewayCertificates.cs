using System.Collections.Concurrent;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Berth.Runtime.Egress;

/// <summary>
/// The gateway's certificate authority, with which it answers a confined sandbox's TLS for the
/// host the sandbox named, so that it can read the HTTP request inside and check the host that
/// names too. Sandboxes of confined networks trust it; it is made once and kept in
/// <see cref="Directory"/> (the key readable by the server's user alone), so that sandboxes
/// keep trusting it across restarts.
/// </summary>
internal sealed class GatewayCertificates : IDisposable
{
    public const string CertificateFile = "egress-ca.crt";
    private const string KeyFile = "egress-ca.key";
    private const int MaxLeaves = 4096;

    private static readonly TimeSpan AuthorityLifetime = TimeSpan.FromDays(3650);

    // Short-lived leaves, made again well before they end; clients limit how long a leaf may live.
    private static readonly TimeSpan LeafLifetime = TimeSpan.FromDays(30);
    private static readonly TimeSpan LeafRenewal = TimeSpan.FromDays(7);
    private static readonly TimeSpan ClockSkew = TimeSpan.FromDays(1);

    private readonly X509Certificate2 _authority;
    private readonly ECDsa _leafKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private readonly ConcurrentDictionary<string, SslStreamCertificateContext> _leaves = new(StringComparer.Ordinal);
    private readonly TimeProvider _time;

    private GatewayCertificates(string directory, X509Certificate2 authority, TimeProvider time)
    {
        Directory = directory;
        _authority = authority;
        _time = time;
    }

    public string Directory { get; }

    /// <summary>The authority's certificate (PEM), which sandboxes trust.</summary>
    public string CertificatePath => Path.Combine(Directory, CertificateFile);

    public X509Certificate2 Authority => _authority;

    /// <summary>Loads the authority kept in <paramref name="directory"/>, or makes and keeps a new one.</summary>
    public static GatewayCertificates LoadOrCreate(string directory, string instanceName, TimeProvider time)
    {
        System.IO.Directory.CreateDirectory(directory);
        var certificatePath = Path.Combine(directory, CertificateFile);
        var keyPath = Path.Combine(directory, KeyFile);
        if (!File.Exists(certificatePath) || !File.Exists(keyPath))
        {
            Create(certificatePath, keyPath, instanceName, time);
        }

        var authority = X509Certificate2.CreateFromPemFile(certificatePath, keyPath);

        return new GatewayCertificates(directory, authority, time);
    }

    /// <summary>
    /// A certificate for <paramref name="host"/>, signed by the authority, with its private key;
    /// the same one for every connection to the host until it nears its end.
    /// </summary>
    public SslStreamCertificateContext For(string host)
    {
        var now = _time.GetUtcNow();
        if (_leaves.TryGetValue(host, out var cached)
            && cached.TargetCertificate.NotAfter.ToUniversalTime() - now.UtcDateTime > LeafRenewal)
        {
            return cached;
        }

        var made = SslStreamCertificateContext.Create(MakeLeaf(host, now), null, offline: true);
        if (_leaves.Count >= MaxLeaves)
        {
            // A pattern such as *.example.com allows endless names; the cache does not grow with them.
            _leaves.Clear();
        }

        _leaves[host] = made;

        return made;
    }

    private X509Certificate2 MakeLeaf(string host, DateTimeOffset now)
    {
        var request = new CertificateRequest(
            new X500DistinguishedName($"CN={host}"), _leafKey, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName(host);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(
            [new Oid("1.3.6.1.5.5.7.3.1")], false));
        request.CertificateExtensions.Add(
            X509AuthorityKeyIdentifierExtension.CreateFromCertificate(_authority, true, false));

        var serial = new byte[16];
        RandomNumberGenerator.Fill(serial);
        serial[0] &= 0x7f;
        var notAfter = now + LeafLifetime;
        if (notAfter > _authority.NotAfter)
        {
            notAfter = _authority.NotAfter;
        }

        using var signed = request.Create(_authority, now - ClockSkew, notAfter, serial);

        return signed.CopyWithPrivateKey(_leafKey);
    }

    private static void Create(string certificatePath, string keyPath, string instanceName, TimeProvider time)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var subject = new X500DistinguishedName($"CN=Berth egress gateway ({instanceName}), O=Berth");
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(
            X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        var now = time.GetUtcNow();
        using var certificate = request.CreateSelfSigned(now - ClockSkew, now + AuthorityLifetime);

        // The key first, and each file whole or not at all: a half-written pair is made again.
        WriteAtomically(keyPath, key.ExportPkcs8PrivateKeyPem(), UnixFileMode.UserRead | UnixFileMode.UserWrite);
        WriteAtomically(certificatePath, certificate.ExportCertificatePem() + "\n",
            UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
    }

    private static void WriteAtomically(string path, string text, UnixFileMode mode)
    {
        var temporary = $"{path}.{Guid.NewGuid():N}.tmp";
        var settings = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            settings.UnixCreateMode = mode;
        }

        using (var file = new FileStream(temporary, settings))
        {
            file.Write(System.Text.Encoding.ASCII.GetBytes(text));
            file.Flush(flushToDisk: true);
        }

        File.Move(temporary, path, overwrite: true);
    }

    public void Dispose()
    {
        _authority.Dispose();
        _leafKey.Dispose();
        foreach (var leaf in _leaves.Values)
        {
            leaf.TargetCertificate.Dispose();
        }
    }
}
