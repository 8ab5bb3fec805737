using System.Buffers;
using System.Diagnostics.CodeAnalysis;

namespace Berth.Core.Environments;

/// <summary>Validates and matches the host patterns of <c>networking.allowed_hosts</c>.</summary>
/// <remarks>
/// <c>example.com</c> matches that name only; <c>*.example.com</c> matches every name below it at
/// any depth, but not <c>example.com</c> itself.
/// </remarks>
public static class HostPatterns
{
    /// <summary>What a valid pattern looks like, for error messages.</summary>
    public const string Accepted =
        "a DNS name such as example.com, or *.example.com for every name below it; "
        + "lowercase letters, digits, '-' and '.', at most 253 characters";

    private const string WildcardPrefix = "*.";
    private const int LabelMaxLength = 63;

    private static readonly SearchValues<char> NameCharacters =
        SearchValues.Create("abcdefghijklmnopqrstuvwxyz0123456789-.");

    private static readonly SearchValues<char> HostNameCharacters =
        SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.");

    /// <summary>
    /// Whether <paramref name="host"/> matches <paramref name="pattern"/>, ignoring case and a
    /// trailing dot on the host (<c>example.com.</c> is the same name as <c>example.com</c>).
    /// </summary>
    public static bool Matches(string pattern, string host)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        ArgumentNullException.ThrowIfNull(host);

        var name = host.EndsWith('.') ? host.AsSpan(0, host.Length - 1) : host.AsSpan();
        if (!pattern.StartsWith(WildcardPrefix, StringComparison.Ordinal))
        {
            return name.Equals(pattern, StringComparison.OrdinalIgnoreCase);
        }

        // Keep the dot in the suffix so that *.example.com cannot match badexample.com.
        var suffix = pattern.AsSpan(1);
        if (name.Length <= suffix.Length || !name.EndsWith(suffix, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        return name[^(suffix.Length + 1)] != '.';
    }

    public static bool IsValid(string pattern) => IsValid(pattern, out _);

    /// <summary>
    /// Whether <paramref name="host"/>, as a sandbox sent it, is a DNS name at all: ASCII
    /// letters, digits, '-', '_' and '.', labels of 1 to 63 characters, at most 253 in all (a
    /// trailing dot aside). A name with anything else in it (a NUL, a space, a '%') must be
    /// neither matched nor looked up: resolvers cut names short at such characters.
    /// </summary>
    public static bool IsHostName(string host)
    {
        ArgumentNullException.ThrowIfNull(host);

        var name = host.EndsWith('.') ? host.AsSpan(0, host.Length - 1) : host.AsSpan();
        if (name.Length is 0 or > EnvironmentLimits.HostPatternMaxLength
            || name.IndexOfAnyExcept(HostNameCharacters) >= 0)
        {
            return false;
        }

        foreach (var label in name.Split('.'))
        {
            if (label.End.Value - label.Start.Value is 0 or > LabelMaxLength)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Checks a pattern; when it is invalid, <paramref name="problem"/> says why.</summary>
    public static bool IsValid(string pattern, [NotNullWhen(false)] out string? problem)
    {
        ArgumentNullException.ThrowIfNull(pattern);

        problem = FindShapeProblem(pattern) ?? FindNameProblem(NameOf(pattern));

        return problem is null;
    }

    private static string NameOf(string pattern) =>
        pattern.StartsWith(WildcardPrefix, StringComparison.Ordinal) ? pattern[WildcardPrefix.Length..] : pattern;

    // Recognises the usual mistakes first, so the message names them rather than a character.
    private static string? FindShapeProblem(string pattern)
    {
        if (pattern.Length == 0)
        {
            return "it is empty";
        }

        if (pattern.Length > EnvironmentLimits.HostPatternMaxLength)
        {
            return $"it is {pattern.Length} characters long";
        }

        if (pattern.Contains("://", StringComparison.Ordinal))
        {
            return "it must not include a scheme such as https://";
        }

        if (pattern.Contains('/', StringComparison.Ordinal))
        {
            return "it must not include a path";
        }

        if (pattern.Contains('[', StringComparison.Ordinal) || pattern.Count(c => c == ':') > 1)
        {
            return "it must not be an IP address";
        }

        return pattern.Contains(':', StringComparison.Ordinal) ? "it must not include a port" : null;
    }

    private static string? FindNameProblem(string name)
    {
        var invalid = name.AsSpan().IndexOfAnyExcept(NameCharacters);
        if (invalid >= 0)
        {
            return DescribeCharacter(name[invalid]);
        }

        var labels = name.Split('.');
        if (labels.Any(label => label.Length == 0))
        {
            return "it has an empty label (a leading, trailing or doubled '.')";
        }

        var badLabel = labels.FirstOrDefault(label => FindLabelProblem(label) is not null);
        if (badLabel is not null)
        {
            return FindLabelProblem(badLabel);
        }

        // Resolvers read a name whose last label is numeric as an IPv4 address in some form
        // (1.2.3.4, 0x7f.1, 2130706433), and no top-level domain is numeric.
        return labels[^1].All(char.IsAsciiDigit) ? "it must not be an IP address" : null;
    }

    private static string? FindLabelProblem(string label)
    {
        if (label.Length > LabelMaxLength)
        {
            return $"its label \"{label[..16]}…\" is longer than {LabelMaxLength} characters";
        }

        return label.StartsWith('-') || label.EndsWith('-')
            ? $"its label \"{label}\" must not start or end with '-'"
            : null;
    }

    private static string DescribeCharacter(char character)
    {
        if (character == '*')
        {
            return "'*' is only allowed as the whole first label, as in *.example.com";
        }

        if (char.IsAsciiLetterUpper(character))
        {
            return "it must be lowercase";
        }

        return char.IsControl(character) || char.IsWhiteSpace(character)
            ? $"it contains the character U+{(int)character:X4}"
            : $"it contains '{character}'";
    }
}
