using System.Text.RegularExpressions;

namespace Berth.Runtime.BaseImages;

/// <summary>
/// Reads this machine's apt configuration so that the base image comes from the same mirror,
/// with the same settings for reaching it, as the machine's own apt.
/// </summary>
internal static partial class HostAptConfiguration
{
    // Only settings about reaching and trusting the mirror are carried over; the rest of the
    // host's apt configuration is about the host.
    private static readonly string[] CarriedAcquireKeys =
    [
        "Acquire::http::Proxy", "Acquire::https::Proxy", "Acquire::Check-Valid-Until",
        "Acquire::Check-Date", "Acquire::Retries",
    ];

    /// <summary>
    /// One-line <c>deb</c> entries for <paramref name="suite"/> and its -updates, -security
    /// and similar suites.
    /// </summary>
    public static IReadOnlyList<string> SourcesFor(string aptDirectory, string suite)
    {
        var entries = ReadSourceFiles(aptDirectory)
            .SelectMany(AptSourceEntry.Parse)
            .Where(e => e.Suite == suite || e.Suite.StartsWith(suite + "-", StringComparison.Ordinal))
            .Select(e => e.ToOneLine())
            .Distinct()
            .ToList();

        return entries.Count > 0 ? entries : DebianDefaults(suite);
    }

    /// <summary>apt options in <c>Name "value";</c> form, as mmdebstrap's <c>--aptopt</c> takes them.</summary>
    public static IReadOnlyList<string> AcquireOptions(string aptDirectory)
    {
        var files = new List<string>();
        AddIfExists(files, Path.Combine(aptDirectory, "apt.conf"));
        AddSorted(files, Path.Combine(aptDirectory, "apt.conf.d"), "*");

        return files
            .SelectMany(File.ReadLines)
            .Select(line => AcquireStatement().Match(line))
            .Where(m => m.Success && IsCarried(m.Groups["key"].Value))
            .Select(m => $"{m.Groups["key"].Value} \"{m.Groups["value"].Value}\"")
            .Distinct()
            .ToList();
    }

    private static IEnumerable<(string Path, string Text)> ReadSourceFiles(string aptDirectory)
    {
        var files = new List<string>();
        AddIfExists(files, Path.Combine(aptDirectory, "sources.list"));
        AddSorted(files, Path.Combine(aptDirectory, "sources.list.d"), "*.list");
        AddSorted(files, Path.Combine(aptDirectory, "sources.list.d"), "*.sources");

        return files.Select(f => (f, File.ReadAllText(f)));
    }

    private static List<string> DebianDefaults(string suite) =>
    [
        $"deb http://deb.debian.org/debian {suite} main",
        $"deb http://deb.debian.org/debian {suite}-updates main",
        $"deb http://deb.debian.org/debian-security {suite}-security main",
    ];

    private static bool IsCarried(string key) =>
        CarriedAcquireKeys.Any(k => key.StartsWith(k, StringComparison.OrdinalIgnoreCase));

    private static void AddIfExists(List<string> files, string path)
    {
        if (File.Exists(path))
        {
            files.Add(path);
        }
    }

    private static void AddSorted(List<string> files, string directory, string pattern)
    {
        if (Directory.Exists(directory))
        {
            files.AddRange(Directory.GetFiles(directory, pattern).Order(StringComparer.Ordinal));
        }
    }

    [GeneratedRegex("""^\s*(?<key>Acquire::[A-Za-z0-9:_.\-]+)\s+"(?<value>[^"]*)"\s*;""")]
    private static partial Regex AcquireStatement();
}
