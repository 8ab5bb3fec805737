using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using System.Net;

namespace Berth.Runtime.Egress;

/// <summary>A registered sandbox: its session, its policy, and the connections it has open to the gateway.</summary>
[SuppressMessage("Design", "CA1001:Types that own disposable fields should be disposable",
    Justification = "A CancellationTokenSource without a timer holds nothing to dispose, and a removed "
        + "session's token is still read by connections that were starting as it went.")]
internal sealed class SandboxSession(
    string sessionId, EgressPolicy policy, TokenBucket? decisionBudget = null, TokenBucket? lookupBudget = null)
{
    /// <summary>Decisions recorded for this sandbox beyond its budget are counted here instead.</summary>
    public long UnrecordedDecisions;

    /// <summary>When the gateway last logged that this sandbox's decisions went unrecorded.</summary>
    public long LastUnrecordedWarning = EgressForwarder.NeverWarned;

    /// <summary>How many decisions of this sandbox are recorded; null for all.</summary>
    public TokenBucket? DecisionBudget => decisionBudget;

    /// <summary>How many name lookups of this sandbox the gateway answers; null for all.</summary>
    public TokenBucket? LookupBudget => lookupBudget;

    private readonly CancellationTokenSource _ended = new();
    private int _connections;

    /// <summary>When the gateway last logged that this sandbox reached its connection limit.</summary>
    public long LastLimitWarning = EgressForwarder.NeverWarned;

    public string SessionId => sessionId;

    public EgressPolicy Policy => policy;

    /// <summary>
    /// Cancelled when the sandbox is unregistered. A removed sandbox sends no reset, so without
    /// this its forwarded connections would wait for it for as long as their upstreams keep them.
    /// </summary>
    public CancellationToken Ended => _ended.Token;

    /// <summary>Counts a new connection to the gateway, unless <paramref name="limit"/> are open already.</summary>
    public bool TryOpenConnection(int limit)
    {
        while (true)
        {
            var open = Volatile.Read(ref _connections);
            if (open >= limit)
            {
                return false;
            }

            if (Interlocked.CompareExchange(ref _connections, open + 1, open) == open)
            {
                return true;
            }
        }
    }

    public void CloseConnection() => Interlocked.Decrement(ref _connections);

    public void End() => _ended.Cancel();
}

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
            if (_byAddress.TryRemove(address, out var session))
            {
                session.End();
            }
        }

        return true;
    }
}
