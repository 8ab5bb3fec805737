using System.Buffers;

namespace Berth.Core.Environments;

/// <summary>The npm spec grammar: <c>name</c> or <c>@scope/name</c>, optionally with a version or tag.</summary>
/// <remarks>
/// Names follow npm's rules for new packages: lowercase, URL-safe, not starting with '.' or
/// '_'. Git URLs, tarball URLs, paths and GitHub shorthands (user/repo) are refused.
/// </remarks>
internal static class NpmSpecs
{
    public const string Accepted =
        "name or @scope/name, optionally followed by @version or @tag (for example lodash, "
        + "@types/node@20.11.0, typescript@^5.4 or prettier@latest); names use lowercase letters, "
        + "digits, '-', '.' and '_' and do not start with '.' or '_'";

    private static readonly SearchValues<char> NameCharacters =
        SearchValues.Create("abcdefghijklmnopqrstuvwxyz0123456789-._");

    // Semver versions and ranges that need no spaces (1.2.3, ^1.2, ~1.2.3, 1.x, *), and tags.
    private static readonly SearchValues<char> VersionCharacters =
        SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.^~*+_-");

    public static string? FindProblem(string spec)
    {
        // The '@' that starts a scope is not the '@' before a version.
        var versionAt = spec.IndexOf('@', spec.StartsWith('@') ? 1 : 0);
        var name = versionAt < 0 ? spec : spec[..versionAt];
        var nameProblem = name.StartsWith('@') ? FindScopedNameProblem(name) : FindNameProblem(name);
        if (nameProblem is not null)
        {
            return nameProblem;
        }

        return versionAt < 0 ? null : FindVersionProblem(spec[(versionAt + 1)..]);
    }

    private static string? FindScopedNameProblem(string name)
    {
        var slash = name.IndexOf('/', StringComparison.Ordinal);
        if (slash < 0)
        {
            return $"the scoped name \"{name}\" must look like @scope/name";
        }

        return FindNameProblem(name[1..slash]) ?? FindNameProblem(name[(slash + 1)..]);
    }

    private static string? FindNameProblem(string name)
    {
        if (name.Length == 0)
        {
            return "the package name is missing";
        }

        if (name.Any(char.IsAsciiLetterUpper))
        {
            return $"the name \"{name}\" must be lowercase";
        }

        return name[0] is '.' or '_' || name.AsSpan().ContainsAnyExcept(NameCharacters)
            ? $"the name \"{name}\" does not follow npm's package name rules"
            : null;
    }

    private static string? FindVersionProblem(string version) =>
        version.Length > 0
        && (char.IsAsciiLetterOrDigit(version[0]) || version[0] is '^' or '~' or '*')
        && !version.AsSpan().ContainsAnyExcept(VersionCharacters)
            ? null
            : $"\"{version}\" after '@' is not a version such as 1.2.3 or ^1.2, or a tag such as latest";
}
