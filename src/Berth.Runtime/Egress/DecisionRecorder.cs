using Microsoft.Extensions.Logging;

namespace Berth.Runtime.Egress;

/// <summary>Hands each decision to the sink and to the log.</summary>
internal sealed class DecisionRecorder(IEgressDecisionSink sink, TimeProvider time, ILogger logger)
{
    public void Record(SandboxSession session, string host, int port, string protocol, PolicyVerdict verdict)
    {
        if (verdict.IsAllowed)
        {
            logger.Allowed(session.SessionId, protocol, host, port, verdict.Rule);
        }
        else
        {
            logger.Denied(session.SessionId, protocol, host, port, verdict.Rule);
        }

        sink.Record(new EgressDecision(
            session.SessionId, time.GetUtcNow(), host, port, protocol, verdict.Verdict, verdict.Rule));
    }
}
