namespace Berth.Runtime.BaseImages;

/// <summary>One repository, suite and component list from an apt sources file, in either format.</summary>
internal sealed record AptSourceEntry(string Uri, string Suite, IReadOnlyList<string> Components)
{
    // Options such as signed-by name keyrings on the host; inside the image apt uses the
    // archive keyring that the image itself has, as mmdebstrap does while it runs.
    public string ToOneLine() => $"deb {Uri} {Suite} {string.Join(' ', Components)}";

    public static IEnumerable<AptSourceEntry> Parse((string Path, string Text) file) =>
        file.Path.EndsWith(".sources", StringComparison.Ordinal)
            ? ParseDeb822(file.Text)
            : ParseOneLine(file.Text);

    private static IEnumerable<AptSourceEntry> ParseOneLine(string text)
    {
        foreach (var raw in text.Split('\n'))
        {
            var line = StripComment(raw).Trim();
            if (!line.StartsWith("deb ", StringComparison.Ordinal))
            {
                continue;
            }

            var words = WithoutOptions(line["deb ".Length..]).Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (words.Length >= 3)
            {
                yield return new AptSourceEntry(words[0], words[1], words[2..]);
            }
        }
    }

    private static IEnumerable<AptSourceEntry> ParseDeb822(string text)
    {
        var stanzas = text.Replace("\r", "", StringComparison.Ordinal).Split("\n\n");

        return stanzas.SelectMany(ParseStanza);
    }

    private static IEnumerable<AptSourceEntry> ParseStanza(string stanza)
    {
        var fields = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var raw in stanza.Split('\n'))
        {
            var line = StripComment(raw);
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0 && !char.IsWhiteSpace(line[0]))
            {
                fields[line[..colon].Trim()] = line[(colon + 1)..].Trim();
            }
        }

        if (!Words(fields, "Types").Contains("deb") || Words(fields, "Enabled").Contains("no"))
        {
            return [];
        }

        var components = Words(fields, "Components");

        return
            from uri in Words(fields, "URIs")
            from suite in Words(fields, "Suites")
            select new AptSourceEntry(uri, suite, components);
    }

    private static string[] Words(Dictionary<string, string> fields, string name) =>
        fields.TryGetValue(name, out var value) ? value.Split(' ', StringSplitOptions.RemoveEmptyEntries) : [];

    private static string StripComment(string line)
    {
        var hash = line.IndexOf('#', StringComparison.Ordinal);

        return hash < 0 ? line : line[..hash];
    }

    private static string WithoutOptions(string rest)
    {
        var trimmed = rest.TrimStart();
        if (!trimmed.StartsWith('['))
        {
            return trimmed;
        }

        var end = trimmed.IndexOf(']', StringComparison.Ordinal);

        return end < 0 ? "" : trimmed[(end + 1)..];
    }
}
