using System.Collections.Concurrent;
using System.Net;

namespace Berth.Runtime.Egress;

/// <summary>A registered sandbox: its session and its policy.</summary>
internal sealed record SandboxSession(string SessionId, EgressPolicy Policy);

/// <summary>
/// Maps the source address of each packet and connection to the sandbox that sent it. An
/// address nobody registered belongs to no session and gets nothing.
/// </summary>
internal sealed class SandboxRegistry
{
    private readonly ConcurrentDictionary<IPAddress, SandboxSession> _byAddress = new();
    private readonly Dictionary<string, IReadOnlyList<IPAddress>> _addresses = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    /// <summary>Registers a session under its addresses, replacing what it or those addresses had before.</summary>
    public void Add(SandboxSession session, IReadOnlyList<IPAddress> addresses)
    {
        lock (_gate)
        {
            RemoveLocked(session.SessionId);
            foreach (var address in addresses)
            {
                // The engine hands a removed sandbox's address to the next one; the newer registration wins.
                if (_byAddress.TryGetValue(address, out var previous))
                {
                    RemoveLocked(previous.SessionId);
                }

                _byAddress[address] = session;
            }

            _addresses[session.SessionId] = addresses;
        }
    }

    public bool Remove(string sessionId)
    {
        lock (_gate)
        {
            return RemoveLocked(sessionId);
        }
    }

    public SandboxSession? Find(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        return _byAddress.GetValueOrDefault(address);
    }

    private bool RemoveLocked(string sessionId)
    {
        if (!_addresses.Remove(sessionId, out var addresses))
        {
            return false;
        }

        foreach (var address in addresses)
        {
            _byAddress.TryRemove(address, out _);
        }

        return true;
    }
}
