using System.Text.Json;
using System.Threading.Channels;
using Berth.Core;
using Berth.Core.Ids;
using Berth.Runtime.Egress;
using Berth.Storage;

namespace Berth.Api.Sessions;

/// <summary>
/// Turns the egress gateway's decisions into <c>egress.allowed</c> and <c>egress.denied</c> events of
/// their sessions, which are also what <c>GET /v1/sessions/{id}/egress</c> lists.
/// </summary>
/// <remarks>
/// The gateway decides on its network threads and must never wait for the store, so decisions
/// go through a bounded queue and are written in batches. A sandbox that floods the gateway with
/// refused attempts fills the queue; further decisions are then dropped and counted in the log
/// rather than let memory grow without bound.
/// </remarks>
public sealed partial class SessionEgressLog(SessionEvents events, ILogger<SessionEgressLog> logger)
    : BackgroundService, IEgressDecisionSink
{
    private const int QueueCapacity = 10_000;
    private const int BatchSize = 256;

    private readonly Channel<EgressDecision> _queue = Channel.CreateBounded<EgressDecision>(
        new BoundedChannelOptions(QueueCapacity) { SingleReader = true, FullMode = BoundedChannelFullMode.DropWrite });

    private long _dropped;

    public void Record(EgressDecision decision)
    {
        // Builds' containers are confined by the gateway too; their decisions reach the server log only.
        if (!decision.SessionId.StartsWith(IdPrefixes.Session, StringComparison.Ordinal))
        {
            return;
        }

        if (!_queue.Writer.TryWrite(decision))
        {
            Interlocked.Increment(ref _dropped);
        }
    }

    /// <summary>Writes what is queued now; for shutdown and for tests that read the log at once.</summary>
    public async Task FlushAsync(CancellationToken cancellationToken)
    {
        var batch = new List<EgressDecision>();
        while (_queue.Reader.TryRead(out var decision))
        {
            batch.Add(decision);
        }

        await WriteAsync(batch, cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var batch = new List<EgressDecision>(BatchSize);
        try
        {
            while (await _queue.Reader.WaitToReadAsync(stoppingToken))
            {
                while (batch.Count < BatchSize && _queue.Reader.TryRead(out var decision))
                {
                    batch.Add(decision);
                }

                await WriteAsync(batch, stoppingToken);
                batch.Clear();
                ReportDropped();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            await FlushAsync(CancellationToken.None);
        }
    }

    private async Task WriteAsync(List<EgressDecision> batch, CancellationToken cancellationToken)
    {
        // One session at a time: a session deleted meanwhile must not cost the others their events.
        foreach (var group in batch.GroupBy(d => d.SessionId))
        {
            try
            {
                await events.AppendAsync([.. group.Select(ToEvent)], cancellationToken);
            }
            catch (Exception error) when (error is not OperationCanceledException)
            {
                LogNotStored(logger, group.Key, group.Count(), error);
            }
        }
    }

    private void ReportDropped()
    {
        var dropped = Interlocked.Exchange(ref _dropped, 0);
        if (dropped > 0)
        {
            LogDropped(logger, dropped);
        }
    }

    private static StoredEvent ToEvent(EgressDecision decision)
    {
        var data = new EgressEventData(decision.Host, decision.Port, decision.Protocol, decision.Verdict, decision.Rule);
        var type = decision.Verdict == EgressVerdicts.Allowed ? SessionEventTypes.EgressAllowed : SessionEventTypes.EgressDenied;

        return new StoredEvent(
            IdGenerator.Shared.Next(IdPrefixes.Event), decision.SessionId, type,
            JsonSerializer.Serialize(data, SessionJsonContext.Default.EgressEventData),
            Timestamps.TruncateToMicroseconds(decision.Time));
    }

    [LoggerMessage(EventId = 4300, Level = LogLevel.Warning,
        Message = "{Count} egress decisions of session {SessionId} could not be stored")]
    private static partial void LogNotStored(ILogger logger, string sessionId, int count, Exception error);

    [LoggerMessage(EventId = 4301, Level = LogLevel.Warning,
        Message = "{Dropped} egress decisions were dropped: the queue to the store was full")]
    private static partial void LogDropped(ILogger logger, long dropped);
}

/// <summary>The data of an <c>egress.allowed</c> or <c>egress.denied</c> event.</summary>
public sealed record EgressEventData(string Host, int Port, string Protocol, string Verdict, string Rule);
