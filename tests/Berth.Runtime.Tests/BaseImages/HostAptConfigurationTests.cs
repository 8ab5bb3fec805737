using Berth.Runtime.BaseImages;

namespace Berth.Runtime.Tests.BaseImages;

public sealed class HostAptConfigurationTests : IDisposable
{
    private readonly DirectoryInfo _apt = Directory.CreateTempSubdirectory("berth-apt-test-");

    public void Dispose() => _apt.Delete(recursive: true);

    [Fact]
    public void SourcesFor_KeepsTheSuiteFamilyAndDropsThirdPartySuites()
    {
        Write("sources.list.d/debian.sources",
            """
            Types: deb
            URIs: http://mirror.example.test/debian
            Suites: bookworm bookworm-updates
            Components: main
            """);
        Write("sources.list.d/vendor.list", "deb http://vendor.example.test/apt nodistro main\n");
        Write("sources.list.d/old.list.disabled", "deb http://old.example.test/debian bookworm main\n");

        var sources = HostAptConfiguration.SourcesFor(_apt.FullName, "bookworm");

        Assert.Equal(
            ["deb http://mirror.example.test/debian bookworm main",
             "deb http://mirror.example.test/debian bookworm-updates main"],
            sources);
    }

    [Fact]
    public void SourcesFor_NoMatchingSources_FallsBackToDebian()
    {
        var sources = HostAptConfiguration.SourcesFor(_apt.FullName, "bookworm");

        Assert.Contains("deb http://deb.debian.org/debian bookworm main", sources);
    }

    [Fact]
    public void AcquireOptions_CarriesOnlyMirrorSettings()
    {
        Write("apt.conf.d/99mirror", "Acquire::Check-Valid-Until \"false\";\nAPT::Install-Recommends \"0\";\n");
        Write("apt.conf.d/98proxy", "Acquire::http::Proxy \"http://127.0.0.1:3142\";\n");

        var options = HostAptConfiguration.AcquireOptions(_apt.FullName);

        Assert.Equal(
            ["Acquire::http::Proxy \"http://127.0.0.1:3142\"", "Acquire::Check-Valid-Until \"false\""],
            options);
    }

    private void Write(string relativePath, string text)
    {
        var path = Path.Combine(_apt.FullName, relativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
    }
}
