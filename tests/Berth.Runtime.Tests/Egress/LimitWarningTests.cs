using Berth.Runtime.Egress;

namespace Berth.Runtime.Tests.Egress;

/// <summary>A connection limit that is reached is logged at once, then at most every ten seconds.</summary>
public sealed class LimitWarningTests
{
    [Fact]
    public void FirstWarning_IsDueAtOnce_ThenNotAgainForTenSeconds()
    {
        var last = EgressForwarder.NeverWarned;
        const long start = 5_000;

        Assert.True(EgressForwarder.IsDue(ref last, start));
        Assert.False(EgressForwarder.IsDue(ref last, start + 1));
        Assert.False(EgressForwarder.IsDue(ref last, start + 9_999));
        Assert.True(EgressForwarder.IsDue(ref last, start + 10_000));
        Assert.Equal(start + 10_000, last);
    }
}
