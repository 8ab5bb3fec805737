namespace Berth.Runtime.Egress;

/// <summary>
/// Allows <paramref name="perSecond"/> events a second on average and up to
/// <paramref name="burst"/> at once: the bucket holds that many tokens, each event takes one, and
/// they come back at the average rate.
/// </summary>
internal sealed class TokenBucket(double perSecond, double burst)
{
    private readonly Lock _gate = new();
    private readonly double _burst = burst;
    private double _tokens = burst;
    private long _refilledAtMs = long.MinValue;

    public bool TryTake(long nowMs)
    {
        lock (_gate)
        {
            if (_refilledAtMs != long.MinValue)
            {
                _tokens = Math.Min(_burst, _tokens + ((nowMs - _refilledAtMs) * perSecond / 1000));
            }

            _refilledAtMs = nowMs;
            if (_tokens < 1)
            {
                return false;
            }

            _tokens -= 1;

            return true;
        }
    }
}
