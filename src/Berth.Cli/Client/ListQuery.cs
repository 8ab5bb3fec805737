using System.Globalization;
using System.Text;

namespace Berth.Cli.Client;

/// <summary>The query string of a list route: a page size, a cursor and the route's own filters.</summary>
internal sealed class ListQuery
{
    private readonly List<KeyValuePair<string, string>> _parameters = [];

    public ListQuery(int? limit = null, string? afterId = null)
    {
        if (limit is { } size)
        {
            Add("limit", size.ToString(CultureInfo.InvariantCulture));
        }

        Add("after_id", afterId);
    }

    public ListQuery Add(string name, string? value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            _parameters.Add(new(name, value));
        }

        return this;
    }

    public ListQuery Add(string name, bool flag) => flag ? Add(name, "true") : this;

    public string AppendTo(string path)
    {
        if (_parameters.Count == 0)
        {
            return path;
        }

        var text = new StringBuilder(path).Append('?');
        foreach (var (name, value) in _parameters)
        {
            text.Append(name).Append('=').Append(Uri.EscapeDataString(value)).Append('&');
        }

        return text.ToString(0, text.Length - 1);
    }
}
