namespace Berth.Runtime.Egress;

/// <summary>The sink when the host registers none: decisions are logged by the gateway and go nowhere else.</summary>
internal sealed class DiscardingDecisionSink : IEgressDecisionSink
{
    public static DiscardingDecisionSink Instance { get; } = new();

    public void Record(EgressDecision decision)
    {
    }
}
