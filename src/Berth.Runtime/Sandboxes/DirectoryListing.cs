using System.Globalization;
using System.Text;

namespace Berth.Runtime.Sandboxes;

/// <summary>
/// Lists a directory in a sandbox with <c>find -printf</c>: name, type, size and modification
/// time of each entry, separated by NUL bytes, so that any name (newlines included) comes back intact.
/// </summary>
internal static class DirectoryListing
{
    private const string Format = "%f\\0%y\\0%s\\0%T@\\0";

    public static IReadOnlyList<string> Command(string directory) =>
        ["find", directory, "-mindepth", "1", "-maxdepth", "1", "-printf", Format];

    public static IReadOnlyList<SandboxFileEntry> Parse(byte[] output)
    {
        var fields = Encoding.UTF8.GetString(output).Split('\0');
        var entries = new List<SandboxFileEntry>();
        for (var i = 0; i + 3 < fields.Length; i += 4)
        {
            entries.Add(new SandboxFileEntry(
                fields[i],
                TypeOf(fields[i + 1]),
                long.Parse(fields[i + 2], CultureInfo.InvariantCulture),
                TimeOf(fields[i + 3])));
        }

        entries.Sort((a, b) => string.CompareOrdinal(a.Name, b.Name));

        return entries;
    }

    private static SandboxFileType TypeOf(string findType) => findType switch
    {
        "d" => SandboxFileType.Directory,
        "l" => SandboxFileType.Symlink,
        _ => SandboxFileType.File,
    };

    // find prints seconds since the epoch with a fraction of up to nine digits; microseconds are kept.
    private static DateTimeOffset TimeOf(string seconds)
    {
        var value = decimal.Parse(seconds, NumberStyles.Float, CultureInfo.InvariantCulture);
        var microseconds = (long)decimal.Truncate(value * 1_000_000);

        return DateTimeOffset.UnixEpoch.AddTicks(microseconds * 10);
    }
}
