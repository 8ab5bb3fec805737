using System.Text;
using Berth.Runtime.Docker;

namespace Berth.Runtime.Tests.Docker;

public sealed class OutputLineSplitterTests
{
    [Fact]
    public void Append_CharacterSplitAcrossReads_KeepsItWhole()
    {
        var lines = new List<string>();
        var splitter = new OutputLineSplitter(lines.Add);
        var bytes = Encoding.UTF8.GetBytes("grüße\r\nzwei");

        splitter.Append(bytes.AsSpan(0, 3));
        splitter.Append(bytes.AsSpan(3));
        splitter.Flush();

        Assert.Equal(["grüße", "zwei"], lines);
    }

    [Fact]
    public void Append_EndlessLine_IsCutIntoPieces()
    {
        var lines = new List<string>();
        var splitter = new OutputLineSplitter(lines.Add);

        splitter.Append(Encoding.UTF8.GetBytes(new string('x', 20_000)));
        splitter.Flush();

        Assert.Equal(20_000, lines.Sum(l => l.Length));
        Assert.True(lines.Count > 1);
    }
}
