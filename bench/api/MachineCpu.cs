using System.Globalization;

namespace Berth.Bench.Api;

/// <summary>CPU time the whole machine has spent busy, from <c>/proc/stat</c>.</summary>
/// <remarks>
/// The bench shares two cores with whatever else runs here. Busy time that neither the server
/// nor the client used is someone else's, and a phase where it is large measured a busy machine,
/// not the server: the report prints it so such a run can be recognised and repeated.
/// </remarks>
internal static class MachineCpu
{
    // USER_HZ: /proc/stat counts in hundredths of a second on every Linux build the bench runs on.
    private const double TicksPerSecond = 100;

    /// <returns>
    /// Busy time (everything but idle and I/O wait) summed over all cores; zero where
    /// /proc/stat is missing.
    /// </returns>
    public static TimeSpan Busy()
    {
        if (!File.Exists("/proc/stat"))
        {
            return TimeSpan.Zero;
        }

        // "cpu  user nice system idle iowait irq softirq steal guest guest_nice"
        var fields = File.ReadLines("/proc/stat").First()
            .Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Skip(1)
            .Select(field => long.Parse(field, CultureInfo.InvariantCulture))
            .ToArray();
        var busy = fields[0] + fields[1] + fields[2] + fields[5] + fields[6] + fields[7];

        return TimeSpan.FromSeconds(busy / TicksPerSecond);
    }
}
