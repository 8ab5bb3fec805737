namespace Berth.Runtime.Egress;

/// <summary>Receives every decision of the egress gateway, for the session's egress log and events.</summary>
/// <remarks>
/// Called on the gateway's network threads, once per decision: an implementation should hand
/// the decision on (to a queue, say) rather than wait for storage, and must not throw.
/// </remarks>
public interface IEgressDecisionSink
{
    void Record(EgressDecision decision);
}
