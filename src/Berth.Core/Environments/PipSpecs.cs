using System.Buffers;

namespace Berth.Core.Environments;

/// <summary>
/// The pip spec grammar: a PEP 508 requirement reduced to name, optional extras and optional
/// version specifiers, such as <c>requests[socks]&gt;=2.31,&lt;3</c>.
/// </summary>
/// <remarks>URLs and environment markers are refused; an environment targets one known image.</remarks>
internal static class PipSpecs
{
    public const string Accepted =
        "a requirement such as pandas, PyYAML==6.0.1 or requests[socks]>=2.31,<3: a project name, "
        + "optional [extras] and optional comma-separated version specifiers using "
        + "==, !=, <=, >=, <, >, ~= or ===";

    // Longest first, so that "==" is not taken for the start of "===".
    private static readonly string[] Operators = ["===", "~=", "==", "!=", "<=", ">=", "<", ">"];

    private static readonly SearchValues<char> NameCharacters =
        SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-");

    // PEP 440 versions plus the '*' of prefix matching (==1.4.*), '!' of epochs and '+' of local versions.
    private static readonly SearchValues<char> VersionCharacters =
        SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.*+!_-");

    public static string? FindProblem(string spec)
    {
        var nameLength = spec.AsSpan().IndexOfAnyExcept(NameCharacters);
        var name = nameLength < 0 ? spec : spec[..nameLength];
        if (!IsName(name))
        {
            return $"the project name \"{name}\" must start and end with a letter or digit "
                + "and use only letters, digits, '.', '_' and '-'";
        }

        var rest = spec[name.Length..];
        if (rest.StartsWith('['))
        {
            var close = rest.IndexOf(']', StringComparison.Ordinal);
            if (close < 0)
            {
                return "its extras are missing the closing ']'";
            }

            var extrasProblem = FindExtrasProblem(rest[1..close]);
            if (extrasProblem is not null)
            {
                return extrasProblem;
            }

            rest = rest[(close + 1)..];
        }

        return rest.Length == 0 ? null : FindSpecifiersProblem(rest);
    }

    private static bool IsName(string name) =>
        name.Length > 0
        && char.IsAsciiLetterOrDigit(name[0])
        && char.IsAsciiLetterOrDigit(name[^1])
        && !name.AsSpan().ContainsAnyExcept(NameCharacters);

    private static string? FindExtrasProblem(string extras)
    {
        // PEP 508 allows an empty extras list, which installs no extras.
        if (extras.Length == 0)
        {
            return null;
        }

        var bad = extras.Split(',').FirstOrDefault(extra => !IsName(extra));

        return bad is null ? null : $"the extra \"{bad}\" is not a valid extra name";
    }

    private static string? FindSpecifiersProblem(string specifiers)
    {
        foreach (var specifier in specifiers.Split(','))
        {
            var op = Operators.FirstOrDefault(o => specifier.StartsWith(o, StringComparison.Ordinal));
            var version = op is null ? "" : specifier[op.Length..];
            if (op is null || !IsVersion(version))
            {
                return $"\"{specifier}\" is not a version specifier such as ==1.2 or >=2.0";
            }
        }

        return null;
    }

    private static bool IsVersion(string version) =>
        version.Length > 0
        && char.IsAsciiLetterOrDigit(version[0])
        && !version.AsSpan().ContainsAnyExcept(VersionCharacters);
}
