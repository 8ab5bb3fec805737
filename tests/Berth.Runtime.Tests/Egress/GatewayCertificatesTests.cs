using System.Security.Cryptography.X509Certificates;
using Berth.Runtime.Egress;

namespace Berth.Runtime.Tests.Egress;

/// <summary>The gateway's certificate authority: kept, made again when incomplete, and what it signs.</summary>
public sealed class GatewayCertificatesTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), $"berth-ca-{Guid.NewGuid():N}");

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    [Fact]
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public void Authority_IsMadeOnce_AndItsKeyIsReadableByTheOwnerAlone()
    {
        string first;
        using (var made = GatewayCertificates.LoadOrCreate(_directory, "test", TimeProvider.System))
        {
            first = made.Authority.Thumbprint;
        }

        using var loaded = GatewayCertificates.LoadOrCreate(_directory, "test", TimeProvider.System);

        Assert.Equal(first, loaded.Authority.Thumbprint);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite,
            File.GetUnixFileMode(Path.Combine(_directory, "egress-ca.key")));
        Assert.Equal(Path.Combine(_directory, GatewayCertificates.CertificateFile), loaded.CertificatePath);
        Assert.Empty(Directory.GetFiles(_directory, "*.tmp"));
    }

    [Fact]
    public void Authority_WithoutItsKey_IsMadeAgain()
    {
        string first;
        using (var made = GatewayCertificates.LoadOrCreate(_directory, "test", TimeProvider.System))
        {
            first = made.Authority.Thumbprint;
        }

        File.Delete(Path.Combine(_directory, "egress-ca.key"));
        using var again = GatewayCertificates.LoadOrCreate(_directory, "test", TimeProvider.System);

        Assert.NotEqual(first, again.Authority.Thumbprint);
        Assert.True(again.Authority.HasPrivateKey);
    }

    [Fact]
    public void Leaf_NamesTheHost_ChainsToTheAuthority_AndIsReused()
    {
        using var certificates = GatewayCertificates.LoadOrCreate(_directory, "test", TimeProvider.System);

        var leaf = certificates.For("cdn.allowed.test").TargetCertificate;
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        using var authority = X509CertificateLoader.LoadCertificateFromFile(certificates.CertificatePath);
        chain.ChainPolicy.CustomTrustStore.Add(authority);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.ApplicationPolicy.Add(new System.Security.Cryptography.Oid("1.3.6.1.5.5.7.3.1"));

        Assert.True(chain.Build(leaf), string.Join("; ", chain.ChainStatus.Select(s => s.StatusInformation)));
        Assert.True(leaf.MatchesHostname("cdn.allowed.test"));
        Assert.False(leaf.MatchesHostname("allowed.test"));
        Assert.True(leaf.HasPrivateKey);
        Assert.Same(leaf, certificates.For("cdn.allowed.test").TargetCertificate);
        Assert.NotSame(leaf, certificates.For("allowed.test").TargetCertificate);
    }
}
