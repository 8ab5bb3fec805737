using Berth.Runtime.Egress;

namespace Berth.Runtime.Tests.Egress;

public sealed class TokenBucketTests
{
    [Fact]
    public void Burst_IsTakenAtOnce_ThenTokensComeBackAtTheRate()
    {
        var bucket = new TokenBucket(perSecond: 10, burst: 3);

        Assert.Equal(3, Enumerable.Range(0, 5).Count(_ => bucket.TryTake(1_000)));
        Assert.False(bucket.TryTake(1_050));
        Assert.True(bucket.TryTake(1_100));
        Assert.False(bucket.TryTake(1_100));
        Assert.Equal(3, Enumerable.Range(0, 5).Count(_ => bucket.TryTake(61_000)));
    }
}
