using Berth.Core.Environments;

namespace Berth.Core.Tests.Environments;

public sealed class PackageSpecsTests
{
    [Theory]
    [InlineData("curl")]
    [InlineData("g++")]
    [InlineData("libpq-dev")]
    [InlineData("python3.11")]
    [InlineData("r8")]
    [InlineData("curl=7.88.1-10+deb12u5")]
    [InlineData("git=1:2.39.2-1.1")]
    [InlineData("libc6=2.36-9~bpo11+1")]
    [InlineData("git/bookworm-backports")]
    [InlineData("nodejs/stable")]
    public void IsValid_Apt_AcceptsNamesVersionsAndReleases(string spec)
    {
        Assert.True(PackageSpecs.IsValid(PackageManager.Apt, spec, out var problem), problem);
    }

    [Theory]
    [InlineData("c", "Debian's package name rules")]
    [InlineData("Curl", "Debian's package name rules")]
    [InlineData("+curl", "Debian's package name rules")]
    [InlineData("lib_foo", "Debian's package name rules")]
    [InlineData("curl:amd64", "Debian's package name rules")]
    [InlineData("curl*", "Debian's package name rules")]
    [InlineData("=1.0", "Debian's package name rules")]
    [InlineData("curl=", "version")]
    [InlineData("curl=latest", "version")]
    [InlineData("curl=1.0=2", "version")]
    [InlineData("curl/", "release")]
    [InlineData("curl/-x", "release")]
    [InlineData("curl/a/b", "release")]
    [InlineData("curl>=7", "pip version operators")]
    [InlineData("./local.deb", "Debian's package name rules")]
    public void IsValid_Apt_RefusesWithAReason(string spec, string expected)
    {
        Assert.False(PackageSpecs.IsValid(PackageManager.Apt, spec, out var problem));
        Assert.Contains(expected, problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("pandas")]
    [InlineData("PyYAML==6.0.1")]
    [InlineData("requests[socks]>=2.31")]
    [InlineData("requests[socks,security]>=2.31,<3")]
    [InlineData("zope.interface")]
    [InlineData("typing_extensions~=4.0")]
    [InlineData("numpy!=1.25.0")]
    [InlineData("django<=5.0")]
    [InlineData("flask>2")]
    [InlineData("torch===2.1.0+cpu")]
    [InlineData("pip==24.*")]
    [InlineData("foo==1!2.0.post1.dev3")]
    [InlineData("x")]
    [InlineData("requests[]")]
    public void IsValid_Pip_AcceptsRequirements(string spec)
    {
        Assert.True(PackageSpecs.IsValid(PackageManager.Pip, spec, out var problem), problem);
    }

    [Theory]
    [InlineData("_private", "project name")]
    [InlineData("pandas-", "project name")]
    [InlineData(".pandas", "project name")]
    [InlineData("==1.0", "project name")]
    [InlineData("requests[socks", "closing ']'")]
    [InlineData("requests[-x]", "extra")]
    [InlineData("requests[a,]", "extra")]
    [InlineData("pandas=1.0", "version specifier")]
    [InlineData("pandas==", "version specifier")]
    [InlineData("pandas>=1,", "version specifier")]
    [InlineData("pandas~1.0", "version specifier")]
    [InlineData("pandas==1.0<2", "version specifier")]
    [InlineData("pandas<>1", "version specifier")]
    [InlineData("pkg@https://example.com/pkg.whl", "version specifier")]
    [InlineData("git+https://github.com/a/b", "version specifier")]
    [InlineData("pandas;python_version<\"3.8\"", "shell syntax")]
    [InlineData("pandas>=1 ", "whitespace")]
    public void IsValid_Pip_RefusesWithAReason(string spec, string expected)
    {
        Assert.False(PackageSpecs.IsValid(PackageManager.Pip, spec, out var problem));
        Assert.Contains(expected, problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("lodash")]
    [InlineData("@types/node")]
    [InlineData("@types/node@20.11.0")]
    [InlineData("typescript@^5.4")]
    [InlineData("react@~18.2.0")]
    [InlineData("prettier@latest")]
    [InlineData("next@canary")]
    [InlineData("vue@3.x")]
    [InlineData("left-pad@*")]
    [InlineData("lodash.merge")]
    [InlineData("a_b-c.d")]
    [InlineData("pkg@1.0.0-beta.1+build.5")]
    public void IsValid_Npm_AcceptsNamesScopesVersionsAndTags(string spec)
    {
        Assert.True(PackageSpecs.IsValid(PackageManager.Npm, spec, out var problem), problem);
    }

    [Theory]
    [InlineData("Lodash", "lowercase")]
    [InlineData("@Types/node", "lowercase")]
    [InlineData(".hidden", "npm's package name rules")]
    [InlineData("_private", "npm's package name rules")]
    [InlineData("user/repo", "npm's package name rules")]
    [InlineData("git+https://github.com/a/b", "npm's package name rules")]
    [InlineData("file:../pkg", "npm's package name rules")]
    [InlineData("@scope", "@scope/name")]
    [InlineData("@/name", "package name is missing")]
    [InlineData("@scope/", "package name is missing")]
    [InlineData("@", "@scope/name")]
    [InlineData("@scope/a/b", "npm's package name rules")]
    [InlineData("lodash@", "after '@'")]
    [InlineData("lodash@=1", "after '@'")]
    [InlineData("lodash@1@2", "after '@'")]
    [InlineData("lodash@>=4", "pip version operators")]
    [InlineData("lodash@4||5", "shell syntax")]
    public void IsValid_Npm_RefusesWithAReason(string spec, string expected)
    {
        Assert.False(PackageSpecs.IsValid(PackageManager.Npm, spec, out var problem));
        Assert.Contains(expected, problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("-y", "must not start with '-'")]
    [InlineData("--index-url=http://evil", "must not start with '-'")]
    [InlineData("a b", "whitespace")]
    [InlineData("a\tb", "whitespace")]
    [InlineData("curl\n", "whitespace")]
    [InlineData("curl\r", "whitespace")]
    [InlineData("a\"b", "shell syntax")]
    [InlineData("a'b", "shell syntax")]
    [InlineData("a;b", "shell syntax")]
    [InlineData("a&b", "shell syntax")]
    [InlineData("a|b", "shell syntax")]
    [InlineData("a$b", "shell syntax")]
    [InlineData("a`b", "shell syntax")]
    [InlineData("a\\b", "shell syntax")]
    public void IsValid_AnyManager_RefusesShellAndOptionSyntax(string spec, string expected)
    {
        foreach (var manager in Enum.GetValues<PackageManager>())
        {
            Assert.False(PackageSpecs.IsValid(manager, spec, out var problem));
            Assert.Contains(expected, problem, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData(PackageManager.Apt)]
    [InlineData(PackageManager.Npm)]
    public void IsValid_AngleBracketsOutsidePip_AreRefused(PackageManager manager)
    {
        Assert.False(PackageSpecs.IsValid(manager, "pkg<2", out var problem));
        Assert.Contains("only allowed as pip version operators", problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(PackageManager.Apt)]
    [InlineData(PackageManager.Pip)]
    [InlineData(PackageManager.Npm)]
    public void IsValid_SpecOf214Characters_IsAccepted(PackageManager manager)
    {
        Assert.True(PackageSpecs.IsValid(manager, new string('a', 214)));
    }

    [Theory]
    [InlineData(PackageManager.Apt)]
    [InlineData(PackageManager.Pip)]
    [InlineData(PackageManager.Npm)]
    public void IsValid_SpecOf215Characters_IsRefused(PackageManager manager)
    {
        Assert.False(PackageSpecs.IsValid(manager, new string('a', 215), out var problem));
        Assert.Contains("215 characters", problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(PackageManager.Apt, "name=version")]
    [InlineData(PackageManager.Pip, "requests[socks]")]
    [InlineData(PackageManager.Npm, "@scope/name")]
    public void Accepted_DescribesTheGrammar(PackageManager manager, string expected)
    {
        Assert.Contains(expected, PackageSpecs.Accepted(manager), StringComparison.Ordinal);
    }
}
