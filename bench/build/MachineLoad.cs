using System.Globalization;

namespace Berth.Bench.Build;

/// <summary>The machine's load average, which says how much other work competed with the builds.</summary>
internal static class MachineLoad
{
    /// <returns>The 1-minute load average, or null where /proc/loadavg does not exist.</returns>
    public static double? OneMinute()
    {
        try
        {
            var fields = File.ReadAllText("/proc/loadavg").Split(' ');

            return double.Parse(fields[0], CultureInfo.InvariantCulture);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException or FormatException)
        {
            return null;
        }
    }
}
