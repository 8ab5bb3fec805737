using Microsoft.Extensions.Logging;

namespace Berth.Runtime.Egress;

/// <summary>
/// Hands each decision to the sink and to the log, as far as the sandbox's decision budget goes;
/// past it, decisions are counted, and the count logged every few seconds.
/// </summary>
internal sealed class DecisionRecorder(IEgressDecisionSink sink, TimeProvider time, ILogger logger)
{
    public void Record(SandboxSession session, string host, int port, string protocol, PolicyVerdict verdict)
    {
        var nowMs = Environment.TickCount64;
        var recorded = session.DecisionBudget is not { } budget || budget.TryTake(nowMs);
        if (!recorded)
        {
            Interlocked.Increment(ref session.UnrecordedDecisions);
        }

        // Counted as they go; told when a warning is due, whether or not this one is recorded.
        if (Volatile.Read(ref session.UnrecordedDecisions) > 0
            && EgressForwarder.IsDue(ref session.LastUnrecordedWarning, nowMs))
        {
            logger.DecisionsUnrecorded(session.SessionId, Interlocked.Exchange(ref session.UnrecordedDecisions, 0));
        }

        if (!recorded)
        {
            return;
        }

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
