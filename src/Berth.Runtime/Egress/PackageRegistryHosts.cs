using Berth.Runtime.BaseImages;

namespace Berth.Runtime.Egress;

/// <summary>
/// The hosts that <c>allow_package_managers</c> opens: the configured list, plus the mirrors
/// that this machine's apt uses (base images are made from them, so sandboxes' apt uses them
/// too) and the runtime's pip index and npm registry.
/// </summary>
internal static class PackageRegistryHosts
{
    public static IReadOnlyList<string> From(EgressOptions egress, RuntimeOptions runtime)
    {
        var hosts = new List<string>(egress.PackageManagerHosts);
        if (egress.IncludeHostAptSources)
        {
            hosts.AddRange(AptSourceHosts(runtime.AptConfigDirectory));
        }

        hosts.AddRange(HostOf(runtime.PipIndexUrl));
        hosts.AddRange(HostOf(runtime.NpmRegistryUrl));

        return hosts.Select(h => h.ToLowerInvariant()).Distinct(StringComparer.Ordinal).ToList();
    }

    private static IEnumerable<string> AptSourceHosts(string aptDirectory)
    {
        var files = new List<string>();
        var list = Path.Combine(aptDirectory, "sources.list");
        if (File.Exists(list))
        {
            files.Add(list);
        }

        var directory = Path.Combine(aptDirectory, "sources.list.d");
        if (Directory.Exists(directory))
        {
            files.AddRange(Directory.GetFiles(directory, "*.list"));
            files.AddRange(Directory.GetFiles(directory, "*.sources"));
        }

        return files
            .SelectMany(f => AptSourceEntry.Parse((f, File.ReadAllText(f))))
            .SelectMany(e => HostOf(e.Uri));
    }

    private static IEnumerable<string> HostOf(string url)
    {
        // Only hosts that a sandbox reaches by name count; file: and mirror+file: sources do not.
        if (Uri.TryCreate(url, UriKind.Absolute, out var uri)
            && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
            && uri.HostNameType == UriHostNameType.Dns)
        {
            yield return uri.IdnHost;
        }
    }
}
