using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using Berth.Core.Validation;

namespace Berth.Core.Environments;

/// <summary>Validates package specs, per manager, before they reach a package manager's command line.</summary>
/// <remarks>
/// Specs are passed to apt, pip and npm as arguments. The grammar is deliberately narrower than
/// what each manager accepts: no URLs, paths, options or shell syntax can get through, and a
/// spec that is refused here gets a message instead of a failed build.
/// </remarks>
public static class PackageSpecs
{
    private static readonly SearchValues<char> ShellCharacters = SearchValues.Create("\"';&|$`\\");

    public static bool IsValid(PackageManager manager, string spec) => IsValid(manager, spec, out _);

    /// <summary>Checks a spec; when it is invalid, <paramref name="problem"/> says why.</summary>
    public static bool IsValid(PackageManager manager, string spec, [NotNullWhen(false)] out string? problem)
    {
        ArgumentNullException.ThrowIfNull(spec);

        problem = FindCommonProblem(manager, spec) ?? manager switch
        {
            PackageManager.Apt => AptSpecs.FindProblem(spec),
            PackageManager.Pip => PipSpecs.FindProblem(spec),
            PackageManager.Npm => NpmSpecs.FindProblem(spec),
            _ => throw new ArgumentOutOfRangeException(nameof(manager), manager, "Unknown package manager."),
        };

        return problem is null;
    }

    /// <summary>What valid specs for <paramref name="manager"/> look like, for error messages.</summary>
    public static string Accepted(PackageManager manager) => manager switch
    {
        PackageManager.Apt => AptSpecs.Accepted,
        PackageManager.Pip => PipSpecs.Accepted,
        PackageManager.Npm => NpmSpecs.Accepted,
        _ => throw new ArgumentOutOfRangeException(nameof(manager), manager, "Unknown package manager."),
    };

    private static string? FindCommonProblem(PackageManager manager, string spec)
    {
        if (spec.Length == 0)
        {
            return "it is empty";
        }

        var length = TextLength.Characters(spec);
        if (length > EnvironmentLimits.PackageSpecMaxLength)
        {
            return $"it is {length} characters long; at most {EnvironmentLimits.PackageSpecMaxLength} are allowed";
        }

        if (spec.StartsWith('-'))
        {
            return "it must not start with '-', which would make it an option";
        }

        if (spec.Any(char.IsWhiteSpace))
        {
            return "it must not contain whitespace or line breaks";
        }

        var shell = spec.AsSpan().IndexOfAny(ShellCharacters);
        if (shell >= 0)
        {
            return $"it must not contain shell syntax such as '{spec[shell]}'";
        }

        return manager != PackageManager.Pip && spec.AsSpan().IndexOfAny('<', '>') >= 0
            ? "'<' and '>' are only allowed as pip version operators"
            : null;
    }
}
