using Berth.Runtime.BaseImages;

namespace Berth.Runtime.Tests.BaseImages;

public sealed class AptSourceEntryTests
{
    [Fact]
    public void Parse_Deb822_ExpandsEveryUriAndSuite()
    {
        const string Text = """
            Types: deb
            # http://snapshot.example.test/archive
            URIs: http://deb.debian.org/debian
            Suites: bookworm bookworm-updates
            Components: main contrib
            Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

            Types: deb-src
            URIs: http://deb.debian.org/debian
            Suites: bookworm
            Components: main
            """;

        var lines = AptSourceEntry.Parse(("debian.sources", Text)).Select(e => e.ToOneLine());

        Assert.Equal(
            ["deb http://deb.debian.org/debian bookworm main contrib",
             "deb http://deb.debian.org/debian bookworm-updates main contrib"],
            lines);
    }

    [Fact]
    public void Parse_OneLineWithOptionsAndComments_DropsOptionsAndSkipsComments()
    {
        const string Text = """
            # deb http://commented.example.test/debian bookworm main
            deb [signed-by=/usr/share/keyrings/x.gpg arch=amd64] http://mirror.example.test/debian bookworm main
            deb-src http://mirror.example.test/debian bookworm main
            """;

        var lines = AptSourceEntry.Parse(("sources.list", Text)).Select(e => e.ToOneLine());

        Assert.Equal(["deb http://mirror.example.test/debian bookworm main"], lines);
    }

    [Fact]
    public void Parse_Deb822Disabled_YieldsNothing()
    {
        const string Text = """
            Types: deb
            Enabled: no
            URIs: http://x.example.test/debian
            Suites: bookworm
            Components: main
            """;

        Assert.Empty(AptSourceEntry.Parse(("x.sources", Text)));
    }
}
