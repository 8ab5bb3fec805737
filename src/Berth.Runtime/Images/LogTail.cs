namespace Berth.Runtime.Images;

/// <summary>Keeps the last lines written to it, for the tail that a failed build reports.</summary>
internal sealed class LogTail(int capacity)
{
    private readonly Queue<string> _lines = new(capacity);

    public void Add(string line)
    {
        if (_lines.Count == capacity)
        {
            _lines.Dequeue();
        }

        _lines.Enqueue(line);
    }

    public void Clear() => _lines.Clear();

    public override string ToString() => string.Join('\n', _lines);
}
