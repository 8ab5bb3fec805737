namespace Berth.Cli.Output;

/// <summary>
/// Rows in aligned columns with upper-case headers and no borders, so that output reads well
/// in a terminal and still splits on whitespace in scripts.
/// </summary>
internal sealed class TextTable(params string[] headers)
{
    private const string Gap = "   ";
    private readonly List<string[]> _rows = [];

    public int Count => _rows.Count;

    public void AddRow(params string?[] cells) =>
        _rows.Add([.. headers.Select((_, i) => i < cells.Length ? Clean(cells[i]) : "")]);

    public void WriteTo(TextWriter writer)
    {
        var widths = headers.Select((h, i) => _rows.Select(r => r[i].Length).Append(h.Length).Max()).ToArray();
        foreach (var row in _rows.Prepend(headers))
        {
            var cells = row.Select((cell, i) => i == row.Length - 1 ? cell : cell.PadRight(widths[i]));
            writer.WriteLine(string.Join(Gap, cells).TrimEnd());
        }
    }

    // A newline or tab inside a cell would break every column after it.
    private static string Clean(string? cell) =>
        string.IsNullOrEmpty(cell) ? "" : cell.ReplaceLineEndings(" ").Replace('\t', ' ');
}
