using System.Buffers;

namespace Berth.Core.Environments;

/// <summary>The apt spec grammar: <c>name</c>, <c>name=version</c> or <c>name/release</c>.</summary>
internal static class AptSpecs
{
    public const string Accepted =
        "name, name=version or name/release, where a name is at least 2 lowercase letters, digits, "
        + "'+', '-' or '.', starting with a letter or digit (for example curl, libpq-dev=15.6-0+deb12u1, "
        + "git/bookworm-backports)";

    // Debian policy 5.6.1 (package names) and 5.6.12 (versions: [epoch:]upstream[-revision]).
    private static readonly SearchValues<char> NameCharacters =
        SearchValues.Create("abcdefghijklmnopqrstuvwxyz0123456789+-.");

    private static readonly SearchValues<char> VersionCharacters =
        SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.+~:-");

    private static readonly SearchValues<char> ReleaseCharacters =
        SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.+_-");

    public static string? FindProblem(string spec)
    {
        var separator = spec.AsSpan().IndexOfAny('=', '/');
        var name = separator < 0 ? spec : spec[..separator];
        if (!IsName(name))
        {
            return $"the package name \"{name}\" does not follow Debian's package name rules";
        }

        if (separator < 0)
        {
            return null;
        }

        var suffix = spec[(separator + 1)..];

        return spec[separator] == '=' ? FindVersionProblem(suffix) : FindReleaseProblem(suffix);
    }

    private static bool IsName(string name) =>
        name.Length >= 2
        && char.IsAsciiLetterOrDigit(name[0])
        && !name.AsSpan().ContainsAnyExcept(NameCharacters);

    private static string? FindVersionProblem(string version) =>
        version.Length > 0
        && char.IsAsciiDigit(version[0])
        && !version.AsSpan().ContainsAnyExcept(VersionCharacters)
            ? null
            : $"the version \"{version}\" must start with a digit and use only letters, digits, "
                + "'.', '+', '~', ':' and '-'";

    private static string? FindReleaseProblem(string release) =>
        release.Length > 0
        && char.IsAsciiLetterOrDigit(release[0])
        && !release.AsSpan().ContainsAnyExcept(ReleaseCharacters)
            ? null
            : $"the release \"{release}\" must be a name such as bookworm-backports";
}
