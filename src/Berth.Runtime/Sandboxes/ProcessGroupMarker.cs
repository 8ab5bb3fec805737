using System.Globalization;
using System.Text;

namespace Berth.Runtime.Sandboxes;

/// <summary>
/// Takes the wrapper's first stdout line, the process group, off the front of stdout. Anything
/// else in that place (an engine's error text when even the wrapper did not start) is output.
/// </summary>
internal sealed class ProcessGroupMarker
{
    private const int MaxDigits = 10;

    private readonly TaskCompletionSource<int?> _group = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly List<byte> _pending = [];

    /// <summary>The process group once stdout has given it; null when stdout did not start with one.</summary>
    public Task<int?> Group => _group.Task;

    /// <summary>Returns what of <paramref name="bytes"/> is output, and what was held back before, in order.</summary>
    public ReadOnlyMemory<byte> Take(ReadOnlyMemory<byte> bytes)
    {
        if (_group.Task.IsCompleted)
        {
            return bytes;
        }

        var span = bytes.Span;
        for (var i = 0; i < span.Length; i++)
        {
            var b = span[i];
            if (b == (byte)'\n' && _pending.Count > 0)
            {
                var digits = Encoding.ASCII.GetString([.. _pending]);
                _group.TrySetResult(int.TryParse(digits, CultureInfo.InvariantCulture, out var group) ? group : null);
                return bytes[(i + 1)..];
            }

            if (b is < (byte)'0' or > (byte)'9' || _pending.Count == MaxDigits)
            {
                _group.TrySetResult(null);
                return (byte[])[.. _pending, .. span[i..]];
            }

            _pending.Add(b);
        }

        return ReadOnlyMemory<byte>.Empty;
    }

    /// <summary>Stdout ended; the group will never come, and held-back bytes are output.</summary>
    public ReadOnlyMemory<byte> End()
    {
        if (_group.Task.IsCompleted)
        {
            return ReadOnlyMemory<byte>.Empty;
        }

        _group.TrySetResult(null);
        return _pending.ToArray();
    }
}
