using System.Buffers;

namespace Berth.Core.Sessions;

/// <summary>An argv written as one line that a POSIX shell would split back into the same words.</summary>
public static class ShellWords
{
    private static readonly SearchValues<char> Plain =
        SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_./:=@%+,-");

    public static string Join(IEnumerable<string> words) => string.Join(' ', words.Select(Quote));

    /// <summary>The word as it is when nothing in it means anything to a shell, else in single quotes.</summary>
    public static string Quote(string word)
    {
        ArgumentNullException.ThrowIfNull(word);

        return word.Length > 0 && !word.AsSpan().ContainsAnyExcept(Plain)
            ? word
            : "'" + word.Replace("'", @"'\''", StringComparison.Ordinal) + "'";
    }
}
