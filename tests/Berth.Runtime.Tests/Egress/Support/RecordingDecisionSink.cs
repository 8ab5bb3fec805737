using System.Collections.Concurrent;
using Berth.Runtime.Egress;

namespace Berth.Runtime.Tests.Egress.Support;

/// <summary>
/// Keeps every egress decision, for assertions; the firewall's reports arrive a moment late, so
/// tests wait for them.
/// </summary>
public sealed class RecordingDecisionSink : IEgressDecisionSink
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(50);

    private readonly ConcurrentQueue<EgressDecision> _decisions = new();

    public void Record(EgressDecision decision) => _decisions.Enqueue(decision);

    public IReadOnlyList<EgressDecision> For(string sessionId) =>
        _decisions.Where(d => d.SessionId == sessionId).ToList();

    /// <summary>The session's first matching decision, waiting up to <paramref name="timeout"/> for it.</summary>
    public async Task<EgressDecision> WaitForAsync(
        string sessionId, Func<EgressDecision, bool> match, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var found = For(sessionId).FirstOrDefault(match);
            if (found is not null)
            {
                return found;
            }

            if (DateTime.UtcNow > deadline)
            {
                var seen = string.Join("\n", For(sessionId).Select(d =>
                    $"  {d.Protocol} {d.Host}:{d.Port} {d.Verdict} {d.Rule}"));
                throw new TimeoutException($"No matching decision within {timeout}; the session has:\n{seen}");
            }

            await Task.Delay(PollInterval);
        }
    }
}
