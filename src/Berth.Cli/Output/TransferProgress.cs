using System.Diagnostics;
using System.Globalization;

namespace Berth.Cli.Output;

/// <summary>
/// One line on stderr that keeps rewriting itself with how much of a transfer is done. It draws
/// only for a person at a terminal; redirected, it stays silent.
/// </summary>
internal sealed class TransferProgress
{
    private static readonly TimeSpan RedrawInterval = TimeSpan.FromMilliseconds(100);

    private readonly TextWriter? _terminal;
    private readonly string _label;
    private readonly long? _total;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private TimeSpan _drawnAt = TimeSpan.MinValue;
    private long _done;

    public TransferProgress(TextWriter? terminal, string label, long? total)
    {
        _terminal = terminal;
        _label = label;
        _total = total;
    }

    public void Add(long bytes)
    {
        _done += bytes;
        if (_terminal is not null && _clock.Elapsed - _drawnAt >= RedrawInterval)
        {
            Draw();
        }
    }

    public void Complete()
    {
        if (_terminal is null)
        {
            return;
        }

        Draw();
        _terminal.WriteLine();
    }

    private void Draw()
    {
        _drawnAt = _clock.Elapsed;
        var seconds = Math.Max(_clock.Elapsed.TotalSeconds, 0.001);
        var rate = ByteSize.Format((long)(_done / seconds)) + "/s";
        var amount = _total is { } total and > 0
            ? string.Create(CultureInfo.InvariantCulture,
                $"{ByteSize.Format(_done)} / {ByteSize.Format(total)}  {100.0 * _done / total,3:0}%")
            : ByteSize.Format(_done);

        // \r returns to the line's start and ESC[K clears what a longer earlier line left behind.
        _terminal!.Write($"\r{_label}  {amount}  {rate}\u001b[K");
        _terminal.Flush();
    }
}
