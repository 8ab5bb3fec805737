using Berth.Core.Environments;
using System.Net;
using System.Net.Sockets;

namespace Berth.Runtime.Egress;

/// <summary>
/// Where the gateway connects for a host, or why it will not; <paramref name="IsClosed"/> when
/// the host has addresses but sandboxes may reach none of them.
/// </summary>
internal readonly record struct UpstreamLookup(IPAddress? Address, string? Problem, bool IsClosed = false);

/// <summary>
/// Finds the real address of a host the policy allowed: the hosts map first, then the system
/// resolver, whose answers must not point into the host, other sandboxes or closed ranges
/// (a name that an allowed pattern covers could otherwise be made to resolve to them).
/// </summary>
internal sealed class UpstreamResolver(IReadOnlyDictionary<string, IPAddress> hostsMap, AddressRules rules)
{
    public async Task<UpstreamLookup> ResolveAsync(string host, CancellationToken cancellationToken)
    {
        if (hostsMap.TryGetValue(host, out var mapped))
        {
            return new UpstreamLookup(mapped, null);
        }

        IPAddress[] addresses;
        if (IPAddress.TryParse(host.Trim('[', ']'), out var literal))
        {
            addresses = [literal];
        }
        else if (!HostPatterns.IsHostName(host))
        {
            return new UpstreamLookup(null, "that is not a host name", true);
        }
        else
        {
            try
            {
                addresses = await Dns.GetHostAddressesAsync(host, AddressFamily.InterNetwork, cancellationToken)
                    .ConfigureAwait(false);
            }
            catch (SocketException e)
            {
                return new UpstreamLookup(null, $"{host} could not be resolved ({e.SocketErrorCode})");
            }
        }

        var open = addresses.FirstOrDefault(a => !rules.IsClosed(a));

        return open is not null
            ? new UpstreamLookup(open, null)
            : addresses.Length == 0
                ? new UpstreamLookup(null, $"{host} has no IPv4 address")
                : new UpstreamLookup(null, $"{host} resolves only to addresses that sandboxes may not reach", true);
    }
}
