using Berth.Core.Sessions;

namespace Berth.Core.Tests.Sessions;

public sealed class ShellWordsTests
{
    [Fact]
    public void Join_OfPlainWords_LeavesThemBare()
    {
        Assert.Equal("ls -la /workspace/a_b.txt key=v1,v2", ShellWords.Join(["ls", "-la", "/workspace/a_b.txt", "key=v1,v2"]));
    }

    [Fact]
    public void Join_OfWordsWithSpacesQuotesAndExpansions_QuotesThem()
    {
        Assert.Equal(@"echo 'a b' '$HOME' '' 'it'\''s' '*'", ShellWords.Join(["echo", "a b", "$HOME", "", "it's", "*"]));
    }

    [Fact]
    public void Join_QuotedLine_SplitsBackIntoTheSameWordsInAShell()
    {
        string[] words = ["printf", "%s|", "a b", "$HOME", "", "it's", "tab\there", "new\nline", "ünï"];
        var start = new System.Diagnostics.ProcessStartInfo("sh") { RedirectStandardOutput = true };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(ShellWords.Join(words));
        using var shell = System.Diagnostics.Process.Start(start)!;
        var output = shell.StandardOutput.ReadToEnd();
        shell.WaitForExit();

        Assert.Equal(string.Concat(words.Skip(2).Select(w => w + "|")), output);
    }
}
