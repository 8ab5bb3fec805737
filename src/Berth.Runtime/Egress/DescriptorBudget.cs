using System.Globalization;

namespace Berth.Runtime.Egress;

/// <summary>How many gateway connections the process's open-file limit leaves room for.</summary>
internal static class DescriptorBudget
{
    private const int KeptForTheServer = 1024;
    private const int PerConnection = 8;
    private const int Fewest = 64;
    private const int Most = 8192;
    private const string Label = "Max open files";

    public static int Connections()
    {
        var limit = OpenFileLimit();
        return limit is null ? Most : Math.Clamp((int)((limit.Value - KeptForTheServer) / PerConnection), Fewest, Most);
    }

    // The soft limit, as /proc/self/limits gives it: "Max open files  20000  20000  files".
    private static long? OpenFileLimit()
    {
        try
        {
            var line = File.ReadLines("/proc/self/limits")
                .FirstOrDefault(l => l.StartsWith(Label, StringComparison.Ordinal));
            var soft = line?[Label.Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault();
            return long.TryParse(soft, NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : null;
        }
        catch (IOException)
        {
            return null;
        }
    }
}
